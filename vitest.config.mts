import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two files at a time even on 2 cores (vitest's default there is one): many suites spend their
    // time waiting on child processes (Python peers, Chromium, servers, PostgreSQL), so the whole
    // suite took 415 s instead of about 700 s here.
    maxWorkers: 2,
  },
});

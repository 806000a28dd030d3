/**
 * Compiles src/tuning (and what it imports) to plain CommonJS in a temp dir, so that tests can
 * start real worker processes with `node`. Children resolve packages through NODE_PATH.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

/** Compiles once; returns the compiled `src/tuning/index.js`, the env children need, and a cleanup. */
export function compileTuning(): { entry: string; env: Record<string, string>; cleanup: () => void } {
  const out = mkdtempSync(join(tmpdir(), "tuning-build-"));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--outDir", out, "--rootDir", ROOT, "--module", "commonjs", "--target", "ES2022", "--strict", "--esModuleInterop", "--skipLibCheck", "--types", "node", join(ROOT, "src/tuning/index.ts")],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  return { entry: join(out, "src", "tuning", "index.js"), env: { NODE_PATH: join(ROOT, "node_modules") }, cleanup: () => rmSync(out, { recursive: true, force: true }) };
}

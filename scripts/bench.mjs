#!/usr/bin/env node
// `npm run bench -- <name> [args]`: builds the library, then runs bench/<name>.mjs.
// Each bench prints one JSON object of figures as its last line.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [name, ...rest] = process.argv.slice(2);
const available = readdirSync(join(root, "bench")).filter((f) => f.endsWith(".mjs")).map((f) => f.slice(0, -4));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${available.join(", ")}`);
  process.exit(2);
}
// The whole build (TypeScript and the WebAssembly kernels), so a bench never runs stale code.
const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const script = join(root, "bench", `${name}.mjs`);
if (!existsSync(script)) process.exit(2);
const run = spawnSync(process.execPath, [script, ...rest], { cwd: root, stdio: "inherit" });
process.exit(run.status ?? 1);

// `npm run bench -- npx`: how long the README's `npx mlflow-demo-ts data --json` takes in a set-up
// clone, the first time (npx links the folder into an empty npx cache, as on a new machine) and
// again (linked already), against the reference: the same command run by node directly
// (`node bin/mlflow-demo-ts.js data --json`), side by side in the same run. Median of 3 repeats,
// each first run with a fresh npm cache folder.
// Last line: {"first_npx_s", "warm_npx_s", "direct_s", "first_ratio", "warm_ratio", ...}.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const REPEATS = 3;
const ARGS = ["data", "--json"];

function timed(command, args, env) {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: root, env, encoding: "utf8", maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  if (!/"rows"|"columns"/.test(r.stdout)) throw new Error(`${command} ${args.join(" ")} printed no data summary`);
  return seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = [];
const warm = [];
const direct = [];
const loadBefore = loadavg()[0];
for (let i = 0; i < REPEATS; i++) {
  const cache = mkdtempSync(join(tmpdir(), "bench-npx-cache-"));
  const env = { ...process.env, npm_config_cache: cache };
  try {
    direct.push(timed(process.execPath, [join(root, "bin", "mlflow-demo-ts.js"), ...ARGS], env));
    first.push(timed("npx", ["mlflow-demo-ts", ...ARGS], env));
    warm.push(timed("npx", ["mlflow-demo-ts", ...ARGS], env));
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  console.log(`repeat ${i + 1}: direct ${direct.at(-1).toFixed(2)} s, first npx ${first.at(-1).toFixed(2)} s, warm npx ${warm.at(-1).toFixed(2)} s`);
}
const figures = {
  first_npx_s: Number(median(first).toFixed(2)),
  warm_npx_s: Number(median(warm).toFixed(2)),
  direct_s: Number(median(direct).toFixed(2)),
  first_ratio: Number((median(first) / median(direct)).toFixed(2)),
  warm_ratio: Number((median(warm) / median(direct)).toFixed(2)),
  repeats: REPEATS,
  load_1min: [Number(loadBefore.toFixed(1)), Number(loadavg()[0].toFixed(1))],
};
console.log(JSON.stringify(figures));

// `npm run bench -- presentation [--csv PATH]`: times the two steps of `npm run demo` as a user
// runs them: `npm run notebooks` (build the library, register the kernel, execute the three
// notebooks headless in fresh tslab kernels) and `npm run slides` (export the three offline
// decks). There is no Python peer for this one: the figures are wall-clock seconds. Tracking
// goes to a temporary store so the bench leaves ./mlruns alone. Protocol: one run of each, in
// fresh processes (cold), notebooks first; timed from spawn to exit.
// Last line: {"regime", "repeats", "order", "notebooks_s", "slides_s", "decks", "deck_mb", "data", "load1"}.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { csv: { type: "string" } } });
const store = mkdtempSync(join(tmpdir(), "bench-presentation-mlruns-"));
const env = { ...process.env, MLFLOW_TRACKING_URI: store };
if (values.csv !== undefined) env.OLX_CSV = values.csv;
else delete env.OLX_CSV;

function timed(script) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(root, "scripts", script)], { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`bench presentation: ${script} failed with status ${r.status}`);
  return (performance.now() - start) / 1000;
}

const load1 = loadavg()[0];
const notebooksSeconds = timed("notebooks.mjs");
const slidesSeconds = timed("slides.mjs");
const decks = readdirSync(join(root, "slides")).filter((f) => /^\d\d-.*\.slides\.html$/.test(f));
const deckMb = decks.reduce((sum, f) => sum + statSync(join(root, "slides", f)).size, 0) / 1e6;
rmSync(store, { recursive: true, force: true });
console.log(
  JSON.stringify({
    notebooks_s: Number(notebooksSeconds.toFixed(1)),
    slides_s: Number(slidesSeconds.toFixed(1)),
    decks: decks.length,
    deck_mb: Number(deckMb.toFixed(1)),
    regime: "cold (fresh processes, as `npm run notebooks` and `npm run slides` run)",
    repeats: 1,
    order: "notebooks then slides (one side only: no Python peer)",
    data: values.csv === undefined ? "sample" : "real",
    load1: Number(load1.toFixed(2)),
  }),
);

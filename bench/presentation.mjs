// `npm run bench -- presentation [--real | --csv PATH] [--trials N]`: times `npm run demo` as a
// user runs it: `npm run notebooks` (build the library, register the kernel, execute the three
// notebooks headless in fresh tslab kernels) and `npm run slides -- --pdf` (UI screenshots, the
// three offline decks and their PDFs). --real uses ../shared/data/olx_house_price_Q122.csv with the
// original Python project's full budget of 50 trials (the goal: under 10 minutes on 2
// cores). There is no Python peer for this one: the figures are wall-clock seconds. Tracking goes
// to a temporary store so the bench leaves ./mlruns alone.
// Protocol: one run of each, in fresh processes (cold), notebooks first; timed from spawn to exit.
// Last line: {"regime", "repeats", "order", "notebooks_s", "slides_s", "total_s", "goal_s", "met", "decks", "pdfs", "deck_mb",
// "data", "trials", "load1_start", "load1_end"}.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { csv: { type: "string" }, real: { type: "boolean", default: false }, trials: { type: "string" } } });
const realCsv = join(root, "..", "shared", "data", "olx_house_price_Q122.csv");
const csv = values.real ? realCsv : values.csv;
if (csv !== undefined && !existsSync(csv)) {
  console.error(`bench presentation: ${csv} does not exist${values.real ? " (--real reads ../shared/data/olx_house_price_Q122.csv)" : ""}`);
  process.exit(2);
}
const trials = values.trials ?? process.env.N_TRIALS ?? (values.real ? "50" : "20");
const store = mkdtempSync(join(tmpdir(), "bench-presentation-mlruns-"));
const env = { ...process.env, MLFLOW_TRACKING_URI: store, N_TRIALS: trials };
if (csv !== undefined) env.OLX_CSV = csv;
else delete env.OLX_CSV;

function timed(script, args = []) {
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(root, "scripts", script), ...args], { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`bench presentation: ${script} failed with status ${r.status}`);
  return (performance.now() - start) / 1000;
}

const load1Start = loadavg()[0];
const notebooksSeconds = timed("notebooks.mjs");
const slidesSeconds = timed("slides.mjs", ["--pdf"]);
const load1End = loadavg()[0];
const files = readdirSync(join(root, "slides"));
const decks = files.filter((f) => /^\d\d-.*\.slides\.html$/.test(f));
const pdfs = files.filter((f) => /^\d\d-.*\.pdf$/.test(f));
const deckMb = decks.reduce((sum, f) => sum + statSync(join(root, "slides", f)).size, 0) / 1e6;
rmSync(store, { recursive: true, force: true });
const total = notebooksSeconds + slidesSeconds;
const round = (x, d = 1) => Number(x.toFixed(d));
console.log(
  JSON.stringify({
    notebooks_s: round(notebooksSeconds),
    slides_s: round(slidesSeconds),
    total_s: round(total),
    goal_s: 600,
    met: total < 600,
    decks: decks.length,
    pdfs: pdfs.length,
    deck_mb: round(deckMb),
    data: csv === undefined ? "sample" : values.real ? "real" : csv,
    trials: Number(trials),
    load1_start: round(load1Start, 2),
    load1_end: round(load1End, 2),
    regime: "cold (fresh processes, as `npm run notebooks` and `npm run slides` run)",
    repeats: 1,
    order: "notebooks then slides (one side only: no Python peer)",
  }),
);

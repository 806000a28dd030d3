// `npm run bench -- search [--runs 10000] [--repeat 7] [--backends sqlite,postgres] [--before <checkout>]`
// The SQL store's searchRuns at the store, over one experiment of 10,000 runs x 20 params x 10
// metrics (the ui bench's data), on SQLite and on a private PostgreSQL 15:
//   sort_ms    order_by metrics.m0 DESC, the first page of 100 runs (a click on a metric's header)
//   filter_ms  metrics.m1 < 0.05 ordered by metrics.m0 ASC, the first page of 100 (the ui bench's filter)
//   deep_ms    order_by params.p03 ASC, the page of 100 at offset 5,000
//   ilike_ms   params.p04 ILIKE 'GB%' (a third of the runs) ordered by metrics.m0 DESC, the first page of 100
//   first_ms   no filter, the default order, the first page of 100 (the runs table opening)
// Every figure is the median of --repeat searches after one warm-up. With --before <root of a
// checkout whose dist is built> (e.g. main in a temporary worktree) that checkout's store runs the
// same searches on the same database, alternating with ours search by search, and each figure
// comes with its ratio after/before; the answers of the two are compared run by run.
// Last line: one JSON object of figures, with the load average before and after.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Stack, stackUnavailable } from "../scripts/remote-stack.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    repeat: { type: "string", default: "7" },
    backends: { type: "string", default: "sqlite,postgres" },
    before: { type: "string" },
  },
});
const RUNS = Number(values.runs);
const REPEAT = Math.max(1, Number(values.repeat));
const backends = new Set(values.backends.split(","));
const ours = require(join(root, "dist", "server", "sql", "openSqlStores.js"));
const before = values.before === undefined ? null : require(join(resolve(values.before), "dist", "server", "sql", "openSqlStores.js"));
const { Random } = require(join(root, "dist", "util", "random.js"));
const log = (line) => process.stderr.write(line + "\n");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

const SEARCHES = {
  sort_ms: { orderBy: ["metrics.m0 DESC"], maxResults: 100 },
  filter_ms: { filterString: "metrics.m1 < 0.05", orderBy: ["metrics.m0 ASC"], maxResults: 100 },
  deep_ms: { orderBy: ["params.p03 ASC"], maxResults: 100, pageToken: Buffer.from('{"offset": 5000}').toString("base64") },
  ilike_ms: { filterString: "params.p04 ILIKE 'GB%'", orderBy: ["metrics.m0 DESC"], maxResults: 100 },
  first_ms: { maxResults: 100 },
};

/** Logs the ui bench's runs through the store, `concurrency` runs at a time. */
async function seed(tracking, concurrency) {
  const experimentId = await tracking.createExperiment("bench-search");
  const rng = new Random(7);
  const start = 1_790_000_000_000;
  const rows = Array.from({ length: RUNS }, (_, i) => ({
    i,
    metrics: Array.from({ length: 10 }, (_, k) => ({ key: `m${k}`, value: rng.random(), timestamp: start, step: 0 })),
    params: Array.from({ length: 20 }, (_, k) => ({ key: `p${String(k).padStart(2, "0")}`, value: k % 5 === 4 ? ["gbtree", "dart", "gblinear"][rng.int(3)] : String(rng.random() * 10) })),
  }));
  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const { i, metrics, params } = rows[next++];
      const run = await tracking.createRun({ experimentId, userId: "bench", startTime: start + i * 1000, tags: [], runName: `run-${i}` });
      await tracking.logBatch(run.info.runId, { metrics, params, tags: [] });
      await tracking.updateRunInfo(run.info.runId, { status: "FINISHED", endTime: start + i * 1000 + 500 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return experimentId;
}

async function measure(label, uri, concurrency) {
  const dir = mkdtempSync(join(tmpdir(), "bench-search-"));
  const after = await ours.openSqlStores(uri, join(dir, "artifacts"));
  const old = before === null ? null : await before.openSqlStores(uri, join(dir, "artifacts"));
  try {
    const t0 = performance.now();
    const experimentId = await seed(after.tracking, concurrency);
    log(`${label}: logged ${RUNS} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const out = { after: {}, ...(old === null ? {} : { before: {}, ratio: {}, same_answers: true }) };
    for (const [name, search] of Object.entries(SEARCHES)) {
      const options = { experimentIds: [experimentId], ...search };
      const sides = old === null ? [["after", after]] : [["before", old], ["after", after]];
      const times = { before: [], after: [] };
      const answers = {};
      for (let r = 0; r <= REPEAT; r++) {
        for (const [side, stores] of r % 2 === 0 ? sides : [...sides].reverse()) {
          const t = performance.now();
          const page = await stores.tracking.searchRuns(options);
          const ms = performance.now() - t;
          if (r > 0) times[side].push(ms); // the first round warms both up
          answers[side] = page.items.map((run) => run.info.runId).join(",") + `|${page.nextPageToken}`;
        }
      }
      out.after[name] = round(median(times.after));
      if (old !== null) {
        out.before[name] = round(median(times.before));
        out.ratio[name] = Math.round((out.after[name] / out.before[name]) * 1000) / 1000;
        if (answers.before !== answers.after) {
          out.same_answers = false;
          log(`${label} ${name}: the two stores answered differently`);
        }
      }
      log(`${label} ${name}: ${JSON.stringify(Object.fromEntries(Object.entries(out).filter(([k]) => k !== "same_answers").map(([k, v]) => [k, v[name]])))}`);
    }
    return out;
  } finally {
    await old?.close();
    await after.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const load0 = loadavg().map((v) => round(v));
const result = { runs: RUNS, repeat: REPEAT, order: before === null ? "ours only" : "before and after alternating, search by search", load_before: load0 };
if (backends.has("sqlite")) {
  const dir = mkdtempSync(join(tmpdir(), "bench-search-db-"));
  try {
    result.sqlite = await measure("sqlite", `sqlite:///${join(dir, "mlruns.db")}`, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (backends.has("postgres")) {
  const unavailable = stackUnavailable();
  if (unavailable !== null) result.postgres = { skipped: unavailable };
  else {
    const stack = new Stack({ log });
    try {
      const pg = await stack.postgres();
      result.postgres = await measure("postgres", pg.createDatabase("search"), 8);
    } finally {
      await stack.stop();
    }
  }
}
result.load_after = loadavg().map((v) => round(v));
console.log(JSON.stringify(result));

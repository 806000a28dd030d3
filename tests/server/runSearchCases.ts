/**
 * Generated run searches over a seeded store, answered twice: by the store's `searchRuns`
 * (SQL pushdown) and by the JavaScript reference (`filterRuns` / `sortRuns` / `paginate`
 * over every run read back whole with `getRun`), which tests/compat checks against MLflow
 * 2.17.2. Values are chosen where the two could part: case (ASCII and not), LIKE's and
 * GLOB's own characters, characters above U+FFFF and at U+E000+, newlines, NaN, +-inf,
 * missing keys, NULL end times, tied start times, deleted runs, datasets.
 */
import type { SqlTrackingStore } from "../../src/server/sql/sqlTrackingStore";
import { makePageToken, paginate, filterRuns, sortRuns } from "../../src/tracking/search";
import type { Run, ViewType } from "../../src/tracking/entities";
import { Random } from "../../src/util/random";

/** String values logged as params, tags, run names and dataset fields. */
export const STRINGS = [
  "abc", "ABC", "Abc", "a_c", "a%c", "a*c", "a?c", "a[c]", "é", "É", "ß", "SS", "ſ", "s", "S", "\u212a", "k", "K",
  "😀", "a😀c", "\uff21", "\ue000x", "x\ny", "back\\slash", "", " sp ace", "µ", "μ", "ǅ", "ǆ", "İ", "ı", "i", "1.5", "10", "9",
];

/** LIKE patterns beyond the plain values. */
const PATTERNS = ["%", "a%", "%c", "_", "__", "a_c", "%😀%", "a_c%", "é%", "É%", "S%", "%k", "ss", "%\\%", "%[%", "%*%", "a?c", "%\n%", "_😀_", "ǆ", "%ı%", "I%", "µ"];

const NUMBERS = ["0", "1.5", "-1", "0.25", "1e999", "-1e999", "1.7976931348623157e308", "2", ".5"];
const METRIC_VALUES = [0, 1.5, -1, 0.25, 2, NaN, Infinity, -Infinity, 1.5, 0.25];
const STATUSES = ["RUNNING", "FINISHED", "FAILED", "KILLED"] as const;

/** What a seeded store holds: every run's id (for IN lists) and the experiments to search. */
export interface SeededRuns {
  readonly experimentIds: readonly string[];
  readonly runIds: readonly string[];
  readonly baseTime: number;
}

/** Seeds `runs` runs over two experiments (a third is never searched); `withNul` adds values holding NUL (SQLite only). */
export async function seedRuns(store: SqlTrackingStore, runs: number, withNul: boolean): Promise<SeededRuns> {
  const rng = new Random(15);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const strings = withNul ? [...STRINGS, "a\u0000c"] : STRINGS;
  const e1 = await store.createExperiment("search-a");
  const e2 = await store.createExperiment("search-b");
  const other = await store.createExperiment("search-other");
  const baseTime = 1_700_000_000_000;
  const runIds: string[] = [];
  for (let i = 0; i < runs; i++) {
    const experimentId = i % 11 === 5 ? other : i % 4 === 3 ? e2 : e1;
    const run = await store.createRun({ experimentId, userId: pick(["alice", "Bob", "ćma", "ALICE"]), startTime: baseTime + rng.int(12) * 1000, tags: [], runName: `${pick(strings)}-${i % 3}` });
    const id = run.info.runId;
    runIds.push(id);
    const metrics = [];
    for (const key of ["m0", "m1"]) if (rng.random() < 0.8) metrics.push({ key, value: pick(METRIC_VALUES), timestamp: baseTime, step: 0 });
    const params = ["p0", "p1"].filter(() => rng.random() < 0.8).map((key) => ({ key, value: pick(strings) }));
    const tags = rng.random() < 0.8 ? [{ key: "t0", value: pick(strings) }] : [];
    await store.logBatch(id, { metrics, params, tags });
    if (rng.random() < 0.6) await store.updateRunInfo(id, { status: pick(STATUSES), endTime: rng.random() < 0.7 ? baseTime + rng.int(30) * 1000 : null });
    if (rng.random() < 0.4) {
      const datasets = Array.from({ length: 1 + rng.int(2) }, () => ({
        dataset: { name: pick(strings), digest: pick(["d1", "D1", "d2"]), sourceType: "code", source: "{}", schema: null, profile: null },
        tags: rng.random() < 0.7 ? [{ key: "mlflow.data.context", value: pick(["train", "Train", "eval", "é"]) }] : [],
      }));
      await store.logInputs(id, datasets);
    }
    if (rng.random() < 0.15) await store.deleteRun(id);
  }
  return { experimentIds: [e1, e2], runIds, baseTime };
}

/** One generated search. */
export interface SearchCase {
  readonly experimentIds: readonly string[];
  readonly filterString: string;
  readonly orderBy: readonly string[];
  readonly runViewType: ViewType;
  readonly maxResults: number;
  readonly pageToken: string | null;
}

function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** `count` searches drawn from MLflow's grammar with a seeded generator. */
export function generateCases(seeded: SeededRuns, count: number, seed: number): SearchCase[] {
  const rng = new Random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)] as T;
  const numericOp = (): string => pick(["=", "!=", "<", "<=", ">", ">="]);
  const stringOp = (): string => pick(["=", "!=", "LIKE", "ILIKE"]);
  const stringOrPattern = (op: string): string => quote(op === "LIKE" || op === "ILIKE" ? pick([...PATTERNS, ...STRINGS]) : pick(STRINGS));
  const times = (): string => String(seeded.baseTime + rng.int(14) * 1000 - 500 * rng.int(2));
  const idList = (): string => `(${Array.from({ length: rng.int(4) }, () => quote(rng.random() < 0.8 ? pick(seeded.runIds) : "f".repeat(32))).join(", ")})`;
  const clause = (): string => {
    switch (rng.int(11)) {
      case 0: return `metrics.${pick(["m0", "m1", "nope"])} ${numericOp()} ${pick(NUMBERS)}`;
      case 1: { const op = stringOp(); return `params.${pick(["p0", "p1", "nope"])} ${op} ${stringOrPattern(op)}`; }
      case 2: { const op = stringOp(); return `tags.${pick(["t0", "mlflow.runName", "nope"])} ${op} ${stringOrPattern(op)}`; }
      case 3: { const op = stringOp(); return `${pick(["attributes.run_name", "run_name", "`Run name`", "attribute.user_id", "attributes.artifact_uri"])} ${op} ${stringOrPattern(op)}`; }
      case 4: return `attributes.status ${pick(["=", "!=", "LIKE", "ILIKE"])} ${quote(pick([...STATUSES, "finished", "%ED", "F_ILED"]))}`;
      case 5: return `${pick(["attributes.start_time", "created", "attributes.end_time"])} ${numericOp()} ${rng.random() < 0.8 ? times() : pick(NUMBERS)}`;
      case 6: return `attributes.run_id ${pick(["IN", "NOT IN"])} ${idList()}`;
      case 7: return `attributes.run_id ${pick(["=", "!="])} ${quote(pick(seeded.runIds))}`;
      case 8: { const op = pick(["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]); const key = pick(["name", "digest", "context"]);
        const values = key === "digest" ? ["d1", "D1", "d%", "d_"] : key === "context" ? ["train", "TRAIN", "eval", "%a%", "é", "É"] : [...STRINGS, ...PATTERNS];
        return `datasets.${key} ${op} ${op.endsWith("IN") ? `(${Array.from({ length: rng.int(3) }, () => quote(pick(values))).join(", ")})` : quote(pick(values))}`; }
      case 9: return `metrics.m0 ${numericOp()} ${pick(NUMBERS)}`;
      default: { const op = stringOp(); return `params.p0 ${op} ${stringOrPattern(op)}`; }
    }
  };
  const orderKeys = [
    "metrics.m0", "metrics.m1", "metrics.nope", "params.p0", "params.p1", "tags.t0", "attributes.run_name", "attributes.start_time", "created",
    "attributes.end_time", "attributes.status", "attributes.user_id", "attributes.experiment_id", "attributes.run_id", "attributes.lifecycle_stage",
    "attributes.artifact_uri",
  ];
  const cases: SearchCase[] = [];
  for (let i = 0; i < count; i++) {
    const filterString = Array.from({ length: rng.int(4) }, clause).join(pick([" and ", " AND "]));
    const orderBy = Array.from({ length: rng.int(4) }, () => `${pick(orderKeys)}${pick(["", " ASC", " DESC", " desc"])}`);
    const maxResults = pick([1, 3, 7, 1000]);
    const offset = rng.random() < 0.6 ? 0 : rng.int(40);
    cases.push({
      experimentIds: rng.random() < 0.7 ? seeded.experimentIds : [pick(seeded.experimentIds)],
      filterString,
      orderBy,
      runViewType: pick(["ACTIVE_ONLY", "ACTIVE_ONLY", "DELETED_ONLY", "ALL"] as const),
      maxResults,
      pageToken: offset === 0 ? null : makePageToken(offset),
    });
  }
  return cases;
}

/** Every run of the store, read back whole, one `getRun` each. */
export async function allRuns(store: SqlTrackingStore, runIds: readonly string[]): Promise<Run[]> {
  return Promise.all(runIds.map((id) => store.getRun(id)));
}

/** The reference answer: run ids of the page and whether a next page is offered (MLflow's SQL store: whenever the page is full). */
export function referenceAnswer(runs: readonly Run[], c: SearchCase): { ids: string[]; next: string | null } {
  const stages = c.runViewType === "ALL" ? ["active", "deleted"] : c.runViewType === "DELETED_ONLY" ? ["deleted"] : ["active"];
  const candidates = runs.filter((r) => c.experimentIds.includes(r.info.experimentId) && stages.includes(r.info.lifecycleStage));
  const page = paginate(sortRuns(filterRuns(candidates, c.filterString), c.orderBy), c.pageToken, c.maxResults);
  const offset = c.pageToken === null ? 0 : (JSON.parse(Buffer.from(c.pageToken, "base64").toString("utf8")) as { offset: number }).offset;
  return { ids: page.items.map((r) => r.info.runId), next: page.items.length === c.maxResults ? makePageToken(offset + c.maxResults) : null };
}

/**
 * Our REST client (RestStore and the artifact proxy repository) run through one scenario
 * against a server: every call's outcome recorded and normalised as the Python scenario
 * does (32-hex ids by order of appearance, times close to now), so that the answers of the
 * real MLflow and of our server compare field by field.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../../src/tracking/errors";
import { RestStore } from "../../src/tracking-rest/restStore";
import { MlflowArtifactsRepository } from "../../src/tracking-rest/mlflowArtifactsRepository";
import type { RecordedCall } from "./compare";

const HEX32 = /\b[0-9a-f]{32}\b/g;
const TIME_KEYS = new Set(["creationTime", "lastUpdateTime", "creationTimestamp", "lastUpdatedTimestamp", "endTime", "startTime", "timestamp"]);

/** Ids by first appearance, times near now; non-finite numbers as proto JSON writes them. */
class Normaliser {
  private readonly ids = new Map<string, string>();
  private readonly since = Date.now() - 86_400_000;

  constructor(private readonly server: string) {}

  private nearNow(v: unknown): boolean {
    const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
    return n >= this.since && n <= Date.now() + 86_400_000;
  }

  apply(value: unknown, key?: string): unknown {
    if (Array.isArray(value)) return value.map((v) => this.apply(v));
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.apply(v, k)]));
    if (key !== undefined && TIME_KEYS.has(key) && this.nearNow(value)) return "<now>";
    if (typeof value === "number" && !Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    if (typeof value === "string") {
      return value.split(this.server).join("<server>").replace(HEX32, (h) => {
        if (!this.ids.has(h)) this.ids.set(h, `<id:${this.ids.size + 1}>`);
        return this.ids.get(h) as string;
      });
    }
    return value;
  }
}

/** Runs the scenario against `server` (working files under `workdir`); resolves to the recorded calls. */
export async function runRestScenario(server: string, workdir: string): Promise<RecordedCall[]> {
  const s = new RestStore(server, { maxRetries: 0 });
  const norm = new Normaliser(server);
  const calls: RecordedCall[] = [];
  const rec = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      const result = await fn();
      calls.push({ call: name, result: norm.apply(result === undefined ? null : result) });
      return result;
    } catch (err) {
      calls.push({ call: name, error: err instanceof MlflowError ? err.errorCode : `CLIENT:${(err as Error).name}` });
      return null;
    }
  };

  const e1 = (await rec("createExperiment", () => s.createExperiment("ts-exp", undefined, [{ key: "lang", value: "ts" }]))) ?? "0";
  const e2 = (await rec("createExperiment other", () => s.createExperiment("ts-other"))) ?? "0";
  await rec("createExperiment taken", () => s.createExperiment("ts-exp"));
  await rec("getExperiment", () => s.getExperiment(e1));
  await rec("getExperimentByName", () => s.getExperimentByName("ts-other"));
  await rec("getExperimentByName unknown", () => s.getExperimentByName("ts-nobody"));
  await rec("searchExperiments", () => s.searchExperiments({ filterString: "name LIKE 'ts-%'", orderBy: ["name ASC"] }));
  await rec("renameExperiment", () => s.renameExperiment(e2, "ts-other-renamed"));
  await rec("renameExperiment taken", () => s.renameExperiment(e2, "ts-exp"));
  await rec("setExperimentTag", () => s.setExperimentTag(e2, { key: "k", value: "v" }));
  await rec("deleteExperiment", () => s.deleteExperiment(e2));
  await rec("searchExperiments deleted", () => s.searchExperiments({ viewType: "DELETED_ONLY", filterString: "name LIKE 'ts-%'" }));
  await rec("restoreExperiment", () => s.restoreExperiment(e2));

  const run = await rec("createRun", () => s.createRun({ experimentId: e1, userId: "ts", startTime: 1_000, tags: [{ key: "t", value: "1" }], runName: "ts-run" }));
  const r1 = run?.info.runId ?? "0".repeat(32);
  const many = Array.from({ length: 1500 }, (_, i) => ({ key: `m${i % 3}`, value: i / 7, timestamp: 10_000 + (i % 50), step: i }));
  await rec("logBatch 1500 metrics, params, tags (chunked)", () =>
    s.logBatch(r1, { metrics: many, params: [{ key: "p", value: "x".repeat(6500) }, { key: "q", value: "ü" }], tags: [{ key: "long", value: "t".repeat(9000) }] }),
  );
  await rec("logBatch inf and nan", () => s.logBatch(r1, { metrics: [{ key: "inf", value: Infinity, timestamp: 1, step: 0 }, { key: "nan", value: NaN, timestamp: 1, step: 0 }] }));
  await rec("logBatch negative timestamp", () => s.logBatch(r1, { metrics: [{ key: "neg", value: 1, timestamp: -1, step: 0 }] }));
  await rec("logBatch key ending in /", () => s.logBatch(r1, { params: [{ key: "k/", value: "1" }] }));
  await rec("getRun", () => s.getRun(r1));
  await rec("getMetricHistory m0", () => s.getMetricHistory(r1, "m0"));
  await rec("getMetricHistory inf", () => s.getMetricHistory(r1, "inf"));
  await rec("getMetricHistory unknown run", () => s.getMetricHistory("0".repeat(32), "m0"));
  await rec("updateRunInfo", () => s.updateRunInfo(r1, { status: "FINISHED", endTime: 2_000, runName: "ts-run-2" }));
  await rec("deleteTag", () => s.deleteTag(r1, "t"));
  await rec("deleteTag missing", () => s.deleteTag(r1, "t"));
  await rec("recordLoggedModel", () => s.recordLoggedModel(r1, { run_id: r1, artifact_path: "model", utc_time_created: "2024-01-01 00:00:00.000000", flavors: { python_function: { config: { x: 1 }, loader_module: "m" } } }));
  await rec("getRun after model", () => s.getRun(r1));
  for (let i = 0; i < 5; i++) await rec(`createRun ${i}`, () => s.createRun({ experimentId: e1, userId: "ts", startTime: 2_000 + i, tags: [], runName: `r${i}` }));
  let token: string | null = null;
  await rec("searchRuns pages", async () => {
    const pages = [];
    do {
      const page = await s.searchRuns({ experimentIds: [e1], maxResults: 3, orderBy: ["attributes.start_time ASC"], pageToken: token });
      pages.push({ ids: page.items.map((r) => r.info.runName), token: page.nextPageToken });
      token = page.nextPageToken;
    } while (token !== null && pages.length < 5);
    return pages;
  });
  await rec("searchRuns filter", () => s.searchRuns({ experimentIds: [e1], filterString: "attributes.run_name LIKE 'r%' and attributes.start_time > 2001", orderBy: ["attributes.run_name DESC"] }));
  await rec("deleteRun", () => s.deleteRun(r1));
  await rec("logBatch to deleted run", () => s.logBatch(r1, { tags: [{ key: "a", value: "b" }] }));
  await rec("restoreRun", () => s.restoreRun(r1));

  const local = mkdtempSync(join(workdir, "ts-art-"));
  mkdirSync(join(local, "sub dir"), { recursive: true });
  writeFileSync(join(local, "a%b.txt"), "percent");
  writeFileSync(join(local, "sub dir", "ż.txt"), "polish");
  const repo = new MlflowArtifactsRepository(run?.info.artifactUri ?? "mlflow-artifacts:/x", server, { maxRetries: 0 });
  await rec("logArtifacts", () => repo.logArtifacts(local, "files"));
  await rec("listArtifacts files", () => repo.listArtifacts("files"));
  await rec("listArtifacts sub dir", () => repo.listArtifacts("files/sub dir"));
  await rec("downloadArtifacts", async () => {
    const dst = mkdtempSync(join(workdir, "ts-dl-"));
    const path = await repo.downloadArtifacts("files", dst);
    return [readFileSync(join(path, "a%b.txt"), "utf8"), readFileSync(join(path, "sub dir", "ż.txt"), "utf8")];
  });

  await rec("createRegisteredModel", () => s.createRegisteredModel("ts-model", [{ key: "k", value: "v" }], "desc"));
  for (const v of [1, 2, 3]) await rec(`createModelVersion ${v}`, () => s.createModelVersion({ name: "ts-model", source: `runs:/${r1}/model`, runId: r1, tags: [], description: v === 2 ? "second" : null }));
  await rec("transition 1 Production", () => s.transitionModelVersionStage("ts-model", "1", "Production", false));
  await rec("transition 2 Staging", () => s.transitionModelVersionStage("ts-model", "2", "Staging", false));
  await rec("transition 3 Production archiving", () => s.transitionModelVersionStage("ts-model", "3", "Production", true));
  await rec("setRegisteredModelAlias", () => s.setRegisteredModelAlias("ts-model", "best", "2"));
  await rec("getModelVersionByAlias", () => s.getModelVersionByAlias("ts-model", "best"));
  await rec("getModelVersionByAlias unknown", () => s.getModelVersionByAlias("ts-model", "nope"));
  await rec("getRegisteredModel", () => s.getRegisteredModel("ts-model"));
  await rec("getLatestVersions", () => s.getLatestVersions("ts-model"));
  await rec("searchModelVersions", () => s.searchModelVersions({ filterString: "name = 'ts-model'" }));
  await rec("setModelVersionTag", () => s.setModelVersionTag("ts-model", "2", { key: "ok", value: "yes" }));
  await rec("getModelVersion", () => s.getModelVersion("ts-model", "2"));
  await rec("getModelVersionDownloadUri", () => s.getModelVersionDownloadUri("ts-model", "2"));
  await rec("renameRegisteredModel", () => s.renameRegisteredModel("ts-model", "ts-model-2"));
  await rec("deleteRegisteredModel", () => s.deleteRegisteredModel("ts-model-2"));
  await rec("getRegisteredModel deleted", () => s.getRegisteredModel("ts-model-2"));
  return calls;
}

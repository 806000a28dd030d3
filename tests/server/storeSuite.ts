/**
 * One store test suite for every backend (FileStore, SQL, REST): MLflow's semantics, as
 * the real MLflow 2.17 answers them (tests/compat compares with it call by call), checked
 * as invariants (ids, error codes, param immutability, latest metric = max by step, paging
 * covers every run once, version numbers never reused, concurrent writers lose nothing).
 * Where MLflow's FileStore and SQL store differ, `rules` says which one the store follows.
 * Call `defineStoreSuite(name, factory)` inside a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Metric } from "../../src/tracking/entities";
import { MlflowError } from "../../src/tracking/errors";
import type { RegistryStore } from "../../src/tracking/store/registryStore";
import type { TrackingStore } from "../../src/tracking/store/trackingStore";

/** A fresh, empty pair of stores plus its cleanup. */
export interface StoreUnderTest {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  /** True for stores that split an oversized batch into requests (REST) instead of rejecting it. */
  readonly splitsLargeBatches?: boolean;
  /**
   * Whose rules the store follows where MLflow's stores differ: "sql" (metric history by
   * timestamp then step, +-infinity kept as +-1.7976931348623157e308, an empty history for
   * an unknown run) or "file" (history in logging order, infinity kept).
   */
  readonly rules: "sql" | "file";
  cleanup(): Promise<void>;
}

/** Resolves to the MLflow error code a promise rejects with (fails when it resolves). */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof MlflowError) return err.errorCode;
    throw err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/** Registers the shared suite for a store factory. */
export function defineStoreSuite(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`store suite: ${name}`, () => {
    let s: StoreUnderTest;
    beforeAll(async () => {
      s = await factory();
    });
    afterAll(async () => {
      await s?.cleanup();
    });

    const newRun = async (experimentId: string, runName?: string) =>
      s.tracking.createRun({ experimentId, userId: "tester", startTime: Date.now(), tags: [{ key: "team", value: "ml" }], runName });

    it("has the Default experiment 0 and creates, finds, renames, tags experiments", async () => {
      const zero = await s.tracking.getExperiment("0");
      expect(zero.name).toBe("Default");
      const before = Date.now();
      const name = unique("exp");
      const id = await s.tracking.createExperiment(name, undefined, [{ key: "owner", value: "ana" }]);
      const e = await s.tracking.getExperiment(id);
      expect(e).toMatchObject({ experimentId: id, name, lifecycleStage: "active", tags: [{ key: "owner", value: "ana" }] });
      expect(e.creationTime).toBeGreaterThanOrEqual(before - 1000);
      expect(e.artifactLocation).toContain(id);
      expect((await s.tracking.getExperimentByName(name))?.experimentId).toBe(id);
      expect(await s.tracking.getExperimentByName(unique("missing"))).toBeNull();
      expect(await errorCodeOf(s.tracking.createExperiment(name))).toBe("RESOURCE_ALREADY_EXISTS");
      expect(await errorCodeOf(s.tracking.getExperiment("987654321"))).toBe("RESOURCE_DOES_NOT_EXIST");
      const renamed = unique("renamed");
      await s.tracking.renameExperiment(id, renamed);
      await s.tracking.setExperimentTag(id, { key: "stage", value: "dev" });
      const after = await s.tracking.getExperiment(id);
      expect(after.name).toBe(renamed);
      expect(after.tags).toEqual(expect.arrayContaining([{ key: "owner", value: "ana" }, { key: "stage", value: "dev" }]));
    });

    it("searches experiments by name pattern and view type; delete and restore move between views", async () => {
      const prefix = unique("srch");
      const ids = [await s.tracking.createExperiment(`${prefix}-a`), await s.tracking.createExperiment(`${prefix}-b`)];
      const found = await s.tracking.searchExperiments({ filterString: `name LIKE '${prefix}-%'`, orderBy: ["name DESC"] });
      expect(found.items.map((e) => e.name)).toEqual([`${prefix}-b`, `${prefix}-a`]);
      await s.tracking.deleteExperiment(ids[0] as string);
      expect((await s.tracking.getExperiment(ids[0] as string)).lifecycleStage).toBe("deleted");
      const active = await s.tracking.searchExperiments({ filterString: `name LIKE '${prefix}-%'` });
      expect(active.items.map((e) => e.experimentId)).toEqual([ids[1]]);
      const deleted = await s.tracking.searchExperiments({ filterString: `name LIKE '${prefix}-%'`, viewType: "DELETED_ONLY" });
      expect(deleted.items.map((e) => e.experimentId)).toEqual([ids[0]]);
      expect(await errorCodeOf(s.tracking.createExperiment(`${prefix}-a`))).toBe("RESOURCE_ALREADY_EXISTS");
      await s.tracking.restoreExperiment(ids[0] as string);
      expect((await s.tracking.getExperiment(ids[0] as string)).lifecycleStage).toBe("active");
      expect(await errorCodeOf(s.tracking.deleteExperiment("0"))).toBe("INVALID_PARAMETER_VALUE");
    });

    it("creates runs with MLflow's run name tag, updates, deletes and restores them", async () => {
      const exp = await s.tracking.createExperiment(unique("runs"));
      const run = await newRun(exp, "first-run");
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info).toMatchObject({ runName: "first-run", experimentId: exp, status: "RUNNING", lifecycleStage: "active", userId: "tester", endTime: null });
      expect(run.info.artifactUri).toContain(run.info.runId);
      expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.runName", value: "first-run" }, { key: "team", value: "ml" }]));
      const generated = await newRun(exp);
      expect(generated.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      const end = Date.now();
      const info = await s.tracking.updateRunInfo(run.info.runId, { status: "FINISHED", endTime: end });
      expect(info).toMatchObject({ status: "FINISHED", endTime: end });
      expect((await s.tracking.getRun(run.info.runId)).info).toMatchObject({ status: "FINISHED", endTime: end });
      await s.tracking.deleteRun(run.info.runId);
      expect((await s.tracking.getRun(run.info.runId)).info.lifecycleStage).toBe("deleted");
      const activeIds = (await s.tracking.searchRuns({ experimentIds: [exp] })).items.map((r) => r.info.runId);
      expect(activeIds).toEqual([generated.info.runId]);
      const all = await s.tracking.searchRuns({ experimentIds: [exp], runViewType: "ALL" });
      expect(all.items).toHaveLength(2);
      const deletedIds = (await s.tracking.searchRuns({ experimentIds: [exp], runViewType: "DELETED_ONLY" })).items.map((r) => r.info.runId);
      expect(deletedIds).toEqual([run.info.runId]); // the web UI's "Deleted" state filter
      await s.tracking.restoreRun(run.info.runId);
      expect((await s.tracking.getRun(run.info.runId)).info.lifecycleStage).toBe("active");
      expect(await errorCodeOf(s.tracking.getRun("0123456789abcdef0123456789abcdef"))).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("logs params once, overwrites tags, appends metrics and keeps the max-by-step latest value", async () => {
      const exp = await s.tracking.createExperiment(unique("log"));
      const id = (await newRun(exp)).info.runId;
      const t0 = 1_700_000_000_000;
      const metrics: Metric[] = [
        { key: "loss", value: 3, timestamp: t0, step: 0 },
        { key: "loss", value: 1, timestamp: t0 + 2, step: 2 },
        { key: "loss", value: 2, timestamp: t0 + 1, step: 1 },
        { key: "nan metric", value: NaN, timestamp: t0, step: 0 },
        { key: "inf/metric", value: Infinity, timestamp: t0, step: 0 },
      ];
      await s.tracking.logBatch(id, { metrics, params: [{ key: "lr", value: "0.01" }], tags: [{ key: "note", value: "a" }] });
      await s.tracking.logBatch(id, { params: [{ key: "lr", value: "0.01" }], tags: [{ key: "note", value: "b" }] });
      expect(await errorCodeOf(s.tracking.logBatch(id, { params: [{ key: "lr", value: "0.02" }] }))).toBe("INVALID_PARAMETER_VALUE");
      expect(await errorCodeOf(s.tracking.logBatch(id, { params: [{ key: "../escape", value: "x" }] }))).toBe("INVALID_PARAMETER_VALUE");
      const run = await s.tracking.getRun(id);
      expect(run.data.params).toEqual([{ key: "lr", value: "0.01" }]);
      expect(run.data.tags.find((t) => t.key === "note")?.value).toBe("b");
      const latest = new Map(run.data.metrics.map((m) => [m.key, m]));
      expect(latest.get("loss")).toMatchObject({ value: 1, step: 2 });
      expect(Number.isNaN(latest.get("nan metric")?.value)).toBe(true);
      expect(latest.get("inf/metric")?.value).toBe(s.rules === "sql" ? Number.MAX_VALUE : Infinity);
      const history = await s.tracking.getMetricHistory(id, "loss");
      expect(history.map((m) => [m.step, m.value])).toEqual(s.rules === "sql" ? [[0, 3], [1, 2], [2, 1]] : [[0, 3], [2, 1], [1, 2]]);
      const other = (await newRun(exp)).info.runId;
      await s.tracking.deleteRun(other);
      expect(await errorCodeOf(s.tracking.logBatch(other, { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] }))).toBe("INVALID_PARAMETER_VALUE");
      expect(await s.tracking.getMetricHistory(other, "m")).toEqual([]);
      expect(await errorCodeOf(s.tracking.logBatch("0123456789abcdef0123456789abcdef", { metrics: [{ key: "m", value: 1, timestamp: 1, step: 0 }] }))).toBe("RESOURCE_DOES_NOT_EXIST");
      await s.tracking.deleteTag(id, "note");
      expect((await s.tracking.getRun(id)).data.tags.some((t) => t.key === "note")).toBe(false);
      expect(await errorCodeOf(s.tracking.deleteTag(id, "note"))).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("applies a batch's params and tags as if logged one by one", async () => {
      const exp = await s.tracking.createExperiment(unique("batch"));
      const id = (await newRun(exp, "before")).info.runId;
      // MLflow refuses a batch naming one param twice, even with one value.
      expect(await errorCodeOf(s.tracking.logBatch(id, { params: [{ key: "a", value: "1" }, { key: "a", value: "1" }] }))).toBe("INVALID_PARAMETER_VALUE");
      await s.tracking.logBatch(id, {
        params: [{ key: "a", value: "1" }, { key: "b", value: "2" }],
        tags: [{ key: "t", value: "x" }, { key: "mlflow.runName", value: "first" }, { key: "t", value: "y" }, { key: "mlflow.runName", value: "second" }],
        metrics: [{ key: "m1", value: 1, timestamp: 1, step: 3 }, { key: "m2", value: 2, timestamp: 1, step: 0 }, { key: "m1", value: 5, timestamp: 1, step: 1 }],
      });
      const run = await s.tracking.getRun(id);
      expect(run.data.params).toEqual([{ key: "a", value: "1" }, { key: "b", value: "2" }]);
      expect(run.data.tags.find((t) => t.key === "t")?.value).toBe("y");
      expect(run.info.runName).toBe("second");
      expect(run.data.metrics.map((m) => [m.key, m.value, m.step])).toEqual([["m1", 1, 3], ["m2", 2, 0]]);
      const change = s.tracking.logBatch(id, { params: [{ key: "b", value: "2" }, { key: "c", value: "3" }, { key: "a", value: "9" }] });
      await expect(change).rejects.toThrow(/Param with key='a' was already logged with value='1' for run ID='[0-9a-f]+'. Attempted logging new value '9'/);
    });

    it("accepts a full batch at MLflow's limits and rejects one past them", async () => {
      const exp = await s.tracking.createExperiment(unique("limits"));
      const id = (await newRun(exp)).info.runId;
      const metrics = Array.from({ length: 900 }, (_, i) => ({ key: `m${i % 7}`, value: i, timestamp: 1000 + i, step: i }));
      const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
      await s.tracking.logBatch(id, { metrics, params });
      const run = await s.tracking.getRun(id);
      expect(run.data.params).toHaveLength(100);
      expect(run.data.metrics).toHaveLength(7);
      let total = 0;
      for (let k = 0; k < 7; k++) total += (await s.tracking.getMetricHistory(id, `m${k}`)).length;
      expect(total).toBe(900);
      const tooMany = Array.from({ length: 101 }, (_, i) => ({ key: `q${i}`, value: "v" }));
      if (s.splitsLargeBatches === true) {
        await s.tracking.logBatch(id, { params: tooMany });
        expect((await s.tracking.getRun(id)).data.params).toHaveLength(201);
      } else {
        expect(await errorCodeOf(s.tracking.logBatch(id, { params: tooMany }))).toBe("INVALID_PARAMETER_VALUE");
      }
    });

    it("filters, sorts and pages runs with MLflow's grammar", async () => {
      const exp = await s.tracking.createExperiment(unique("search"));
      const rmse = [5.5, 2.5, 9, 1, 4];
      const ids: string[] = [];
      for (const [i, value] of rmse.entries()) {
        const id = (await newRun(exp, `run-${i}`)).info.runId;
        ids.push(id);
        await s.tracking.logBatch(id, {
          metrics: [{ key: "rmse", value, timestamp: 1, step: 0 }],
          params: [{ key: "model", value: i % 2 === 0 ? "Ridge" : "Forest" }],
        });
      }
      const ridgeBelow6 = await s.tracking.searchRuns({ experimentIds: [exp], filterString: "metrics.rmse < 6 and params.model = 'Ridge'", orderBy: ["metrics.rmse ASC"] });
      const expected = rmse.map((v, i) => ({ v, i })).filter((x) => x.v < 6 && x.i % 2 === 0).sort((a, b) => a.v - b.v).map((x) => ids[x.i]);
      expect(ridgeBelow6.items.map((r) => r.info.runId)).toEqual(expected);
      const none = await s.tracking.searchRuns({ experimentIds: [exp], filterString: "metrics.rmse > 100" });
      expect(none.items).toEqual([]);
      expect(none.nextPageToken).toBeNull();
      const seen: string[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const page = await s.tracking.searchRuns({ experimentIds: [exp], maxResults: 2, pageToken: token, orderBy: ["metrics.rmse DESC"] });
        seen.push(...page.items.map((r) => r.info.runId));
        token = page.nextPageToken;
        pages++;
      } while (token !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual(rmse.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v).map((x) => ids[x.i]));
      expect(await errorCodeOf(s.tracking.searchRuns({ experimentIds: [exp], filterString: "metrics.rmse <" }))).toBe("INVALID_PARAMETER_VALUE");
    });

    it("loses nothing when 20 writers log to one run at once", async () => {
      const exp = await s.tracking.createExperiment(unique("concurrent"));
      const id = (await newRun(exp)).info.runId;
      await Promise.all(
        Array.from({ length: 20 }, (_, w) =>
          w % 2 === 0
            ? s.tracking.logBatch(id, {
                metrics: Array.from({ length: 50 }, (_, i) => ({ key: "x", value: w * 1000 + i, timestamp: 1, step: w * 50 + i })),
                params: [{ key: `writer-${w}`, value: String(w) }],
              })
            : s.tracking
                .logBatch(id, { metrics: Array.from({ length: 50 }, (_, i) => ({ key: "x", value: w * 1000 + i, timestamp: 1, step: w * 50 + i })) })
                .then(() => s.tracking.logBatch(id, { params: [{ key: `writer-${w}`, value: String(w) }] })),
        ),
      );
      const history = await s.tracking.getMetricHistory(id, "x");
      expect(history).toHaveLength(1000);
      expect(new Set(history.map((m) => m.step)).size).toBe(1000);
      expect((await s.tracking.getRun(id)).data.params).toHaveLength(20);
      expect((await s.tracking.getRun(id)).data.metrics[0]).toMatchObject({ key: "x", step: 999, value: 19049 });
    });

    it("registers models with versions, aliases, stages, tags and never reuses a version number", async () => {
      const name = unique("model");
      const exp = await s.tracking.createExperiment(unique("reg"));
      const runId = (await newRun(exp)).info.runId;
      const m = await s.registry.createRegisteredModel(name, [{ key: "team", value: "ml" }], "house prices");
      expect(m).toMatchObject({ name, description: "house prices", tags: [{ key: "team", value: "ml" }] });
      expect(await errorCodeOf(s.registry.createRegisteredModel(name))).toBe("RESOURCE_ALREADY_EXISTS");
      await s.registry.updateRegisteredModel(name, "prices of *flats*");
      expect((await s.registry.getRegisteredModel(name)).description).toBe("prices of *flats*");
      await s.registry.updateRegisteredModel(name, "house prices");
      const source = `runs:/${runId}/model`;
      const v1 = await s.registry.createModelVersion({ name, source, runId, description: "first" });
      const v2 = await s.registry.createModelVersion({ name, source, runId });
      expect([v1.version, v2.version]).toEqual(["1", "2"]);
      expect(v1).toMatchObject({ currentStage: "None", status: "READY", source, runId, description: "first" });
      await s.registry.setRegisteredModelAlias(name, "champion", "1");
      expect((await s.registry.getModelVersionByAlias(name, "champion")).version).toBe("1");
      expect((await s.registry.getModelVersion(name, "1")).aliases).toEqual(["champion"]);
      expect(await errorCodeOf(s.registry.setRegisteredModelAlias(name, "latest", "1"))).toBe("INVALID_PARAMETER_VALUE");
      await s.registry.transitionModelVersionStage(name, "1", "Production", false);
      const t2 = await s.registry.transitionModelVersionStage(name, "2", "production", true);
      expect(t2.currentStage).toBe("Production");
      expect((await s.registry.getModelVersion(name, "1")).currentStage).toBe("Archived");
      const latest = await s.registry.getLatestVersions(name, ["Production"]);
      expect(latest.map((v) => v.version)).toEqual(["2"]);
      await s.registry.updateModelVersion(name, "2", "second");
      expect((await s.registry.getModelVersion(name, "2")).description).toBe("second");
      await s.registry.setModelVersionTag(name, "2", { key: "validated", value: "yes" });
      expect((await s.registry.getModelVersion(name, "2")).tags).toEqual([{ key: "validated", value: "yes" }]);
      const byRun = await s.registry.searchModelVersions({ filterString: `run_id = '${runId}'` });
      expect(byRun.items.map((v) => v.version).sort()).toEqual(["1", "2"]);
      await s.registry.deleteModelVersion(name, "2");
      expect(await errorCodeOf(s.registry.getModelVersion(name, "2"))).toBe("RESOURCE_DOES_NOT_EXIST");
      const v3 = await s.registry.createModelVersion({ name, source, runId });
      expect(v3.version).toBe("3");
      await s.registry.deleteRegisteredModelAlias(name, "champion");
      expect(await errorCodeOf(s.registry.getModelVersionByAlias(name, "champion"))).toBe("INVALID_PARAMETER_VALUE");
      const found = await s.registry.searchRegisteredModels({ filterString: `name = '${name}'` });
      expect(found.items.map((x) => x.name)).toEqual([name]);
      const renamed = unique("renamed-model");
      await s.registry.renameRegisteredModel(name, renamed);
      expect((await s.registry.getModelVersion(renamed, "1")).name).toBe(renamed);
      expect(await errorCodeOf(s.registry.getRegisteredModel(name))).toBe("RESOURCE_DOES_NOT_EXIST");
      await s.registry.deleteRegisteredModel(renamed);
      expect(await errorCodeOf(s.registry.getRegisteredModel(renamed))).toBe("RESOURCE_DOES_NOT_EXIST");
    });
  });
}

/**
 * The behaviour every tracking + registry store must have, whatever the backend: the
 * FileStore runs it here (storeContract.test.ts); the REST store and the server's SQL
 * stores (issue 8) run the same suite with their own factory.
 */
import { describe, expect, it } from "vitest";
import { MlflowClient, MlflowError } from "../../src/tracking";
import type { Metric, RegistryStore, TrackingStore } from "../../src/tracking";

/** A fresh, empty store pair and how to dispose of it. */
export interface StoreUnderTest {
  tracking: TrackingStore;
  registry: RegistryStore;
  cleanup(): Promise<void> | void;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MlflowError);
  return (err as MlflowError).errorCode;
}

/** Registers the contract tests for stores made by `open`. */
export function storeContract(label: string, open: () => Promise<StoreUnderTest>): void {
  describe(`store contract: ${label}`, () => {
    const withClient = (fn: (client: MlflowClient) => Promise<void>) => async (): Promise<void> => {
      const s = await open();
      try {
        await fn(new MlflowClient({ tracking: s.tracking, registry: s.registry }));
      } finally {
        await s.cleanup();
      }
    };

    it("has experiment 0 'Default' and creates, finds, renames, deletes and restores experiments", withClient(async (c) => {
      expect((await c.getExperiment("0")).name).toBe("Default");
      const id = await c.createExperiment("contract", { tags: { a: "1" } });
      expect(await c.getExperiment(id)).toMatchObject({ experimentId: id, name: "contract", lifecycleStage: "active", tags: [{ key: "a", value: "1" }] });
      expect((await c.getExperimentByName("contract"))?.experimentId).toBe(id);
      expect(await c.getExperimentByName("missing")).toBeNull();
      expect(await codeOf(c.createExperiment("contract"))).toBe("RESOURCE_ALREADY_EXISTS");
      await c.renameExperiment(id, "contract-2");
      expect((await c.getExperiment(id)).name).toBe("contract-2");
      await c.deleteExperiment(id);
      expect((await c.getExperiment(id)).lifecycleStage).toBe("deleted");
      expect((await c.searchExperiments()).items.map((e) => e.experimentId)).not.toContain(id);
      await c.restoreExperiment(id);
      expect((await c.searchExperiments()).items.map((e) => e.experimentId)).toContain(id);
      expect(await codeOf(c.getExperiment("999999999"))).toBe("RESOURCE_DOES_NOT_EXIST");
    }));

    it("creates runs, logs metrics/params/tags with MLflow's semantics, and updates status", withClient(async (c) => {
      const id = await c.createExperiment("runs");
      const run = await c.createRun(id, { runName: "r", startTime: 1000, tags: { t: "v" } });
      expect(run.info).toMatchObject({ runName: "r", experimentId: id, status: "RUNNING", startTime: 1000, endTime: null, lifecycleStage: "active" });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      const runId = run.info.runId;
      const metrics: Metric[] = [
        { key: "m", value: 3, timestamp: 10, step: 0 },
        { key: "m", value: 1, timestamp: 11, step: 2 },
        { key: "m", value: 2, timestamp: 12, step: 1 },
      ];
      await c.logBatch(runId, { metrics, params: [{ key: "p", value: "1" }], tags: [{ key: "t", value: "w" }] });
      await c.logParam(runId, "p", "1");
      expect(await codeOf(c.logParam(runId, "p", "2"))).toBe("INVALID_PARAMETER_VALUE");
      expect(await c.getMetricHistory(runId, "m")).toEqual(metrics);
      const got = await c.getRun(runId);
      expect(got.data.metrics).toEqual([{ key: "m", value: 1, timestamp: 11, step: 2 }]);
      expect(got.data.params).toEqual([{ key: "p", value: "1" }]);
      expect(got.data.tags).toEqual(expect.arrayContaining([{ key: "t", value: "w" }, { key: "mlflow.runName", value: "r" }]));
      await c.deleteTag(runId, "t");
      expect(await codeOf(c.deleteTag(runId, "t"))).toBe("RESOURCE_DOES_NOT_EXIST");
      await c.updateRun(runId, { name: "renamed" });
      const info = await c.setTerminated(runId, "FINISHED", 2000);
      expect(info).toMatchObject({ status: "FINISHED", endTime: 2000, runName: "renamed" });
      expect((await c.getRun(runId)).data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.runName", value: "renamed" }]));
      expect(await codeOf(c.getRun("ffffffffffffffffffffffffffffffff"))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await codeOf(c.logMetric(runId, "bad key!", 1))).toBe("INVALID_PARAMETER_VALUE");
      await c.deleteRun(runId);
      expect((await c.getRun(runId)).info.lifecycleStage).toBe("deleted");
      await c.restoreRun(runId);
      expect((await c.getRun(runId)).info.lifecycleStage).toBe("active");
    }));

    it("searches runs with filters, order_by and page tokens", withClient(async (c) => {
      const id = await c.createExperiment("search");
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await c.createRun(id, { startTime: 1000 + i, runName: `r${i}` });
        await c.logMetric(r.info.runId, "rmse", 5 - i);
        await c.logParam(r.info.runId, "even", String(i % 2 === 0));
        ids.push(r.info.runId);
      }
      const names = async (filterString: string, orderBy?: string[]): Promise<string[]> =>
        (await c.searchAllRuns([id], { filterString, orderBy })).map((r) => r.info.runName);
      expect(await names("")).toEqual(["r4", "r3", "r2", "r1", "r0"]);
      expect(await names("metrics.rmse < 3")).toEqual(["r4", "r3"]);
      expect(await names("params.even = 'true' and metrics.rmse >= 3", ["metrics.rmse ASC"])).toEqual(["r2", "r0"]);
      expect(await names("attributes.run_name LIKE 'r%'", ["attributes.run_name ASC"])).toEqual(["r0", "r1", "r2", "r3", "r4"]);
      const page1 = await c.searchRuns([id], { maxResults: 2 });
      const page2 = await c.searchRuns([id], { maxResults: 2, pageToken: page1.nextPageToken });
      const page3 = await c.searchRuns([id], { maxResults: 2, pageToken: page2.nextPageToken });
      expect([...page1.items, ...page2.items, ...page3.items].map((r) => r.info.runName)).toEqual(["r4", "r3", "r2", "r1", "r0"]);
      expect(page3.nextPageToken).toBeNull();
      expect(await codeOf(c.searchRuns([id], { filterString: "metrics.rmse < 1 OR metrics.rmse > 2" }))).toBe("INVALID_PARAMETER_VALUE");
      expect((await c.searchRuns([id], { filterString: "metrics.rmse > 100" })).items).toEqual([]);
    }));

    it("keeps a registry with versions, aliases, stages and tags", withClient(async (c) => {
      const id = await c.createExperiment("reg");
      const run = await c.createRun(id);
      await c.createRegisteredModel("m", { description: "d" });
      expect(await codeOf(c.createRegisteredModel("m"))).toBe("RESOURCE_ALREADY_EXISTS");
      const v1 = await c.createModelVersion("m", `runs:/${run.info.runId}/model`);
      const v2 = await c.createModelVersion("m", `runs:/${run.info.runId}/model`);
      expect([v1.version, v2.version]).toEqual(["1", "2"]);
      expect(v1.source).toBe(`${run.info.artifactUri}/model`);
      await c.setRegisteredModelAlias("m", "champion", 2);
      expect((await c.getModelVersionByAlias("m", "champion")).version).toBe("2");
      expect(await codeOf(c.setRegisteredModelAlias("m", "latest", 1))).toBe("INVALID_PARAMETER_VALUE");
      await c.transitionModelVersionStage("m", 1, "Production");
      await c.transitionModelVersionStage("m", 2, "Production", true);
      expect((await c.getModelVersion("m", 1)).currentStage).toBe("Archived");
      expect((await c.getLatestVersions("m", ["Production"])).map((v) => v.version)).toEqual(["2"]);
      await c.setModelVersionTag("m", 1, "k", "v");
      await c.updateModelVersion("m", 1, "first");
      expect(await c.getModelVersion("m", 1)).toMatchObject({ description: "first", tags: [{ key: "k", value: "v" }] });
      expect((await c.getRegisteredModel("m")).aliases).toEqual([{ alias: "champion", version: "2" }]);
      await c.deleteModelVersion("m", 1);
      expect(await codeOf(c.getModelVersion("m", 1))).toBe("RESOURCE_DOES_NOT_EXIST");
      await c.deleteRegisteredModel("m");
      expect(await codeOf(c.getRegisteredModel("m"))).toBe("RESOURCE_DOES_NOT_EXIST");
    }));
  });
}

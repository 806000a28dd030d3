/**
 * One suite for MLflow 3's logged models and MLflow 2.17's dataset inputs on every backend
 * (FileStore, SQLite, PostgreSQL, REST): the rules MLflow documents and its stores keep,
 * checked as invariants. Call `defineLoggedModelSuite(name, factory)` inside a test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatasetInput, Metric } from "../../src/tracking/entities";
import { MlflowClient } from "../../src/tracking/client";
import { errorCodeOf, type StoreUnderTest } from "../server/storeSuite";

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

function dataset(name: string, digest: string, context?: string): DatasetInput {
  return {
    dataset: { name, digest, sourceType: "local", source: `{"uri": "/data/${name}.csv"}`, schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 3}' },
    tags: context === undefined ? [] : [{ key: "mlflow.data.context", value: context }],
  };
}

/** Registers the suite for a store factory. */
export function defineLoggedModelSuite(name: string, factory: () => Promise<StoreUnderTest>): void {
  describe(`logged models and datasets: ${name}`, () => {
    let s: StoreUnderTest;
    let client: MlflowClient;
    beforeAll(async () => {
      s = await factory();
      client = new MlflowClient({ tracking: s.tracking, registry: s.registry });
    });
    afterAll(async () => {
      await s?.cleanup();
    });

    const newRun = async (experimentId: string): Promise<string> =>
      (await s.tracking.createRun({ experimentId, userId: "tester", startTime: Date.now(), tags: [] })).info.runId;

    it("creates a PENDING model under the experiment's location, finalizes it, and refuses bad names and experiments", async () => {
      const exp = await s.tracking.createExperiment(unique("lm"));
      const runId = await newRun(exp);
      const experiment = await s.tracking.getExperiment(exp);
      const m = await s.tracking.createLoggedModel({ experimentId: exp, name: "model", sourceRunId: runId, params: [{ key: "p", value: "1" }], tags: [{ key: "t", value: "x" }] });
      expect(m.modelId).toMatch(/^m-[0-9a-f]{32}$/);
      expect(m).toMatchObject({ experimentId: exp, name: "model", status: "PENDING", sourceRunId: runId, params: [{ key: "p", value: "1" }], tags: [{ key: "t", value: "x" }] });
      expect(m.artifactLocation).toBe(`${experiment.artifactLocation.replace(/\/+$/, "")}/models/${m.modelId}/artifacts`);
      const generated = await s.tracking.createLoggedModel({ experimentId: exp });
      expect(generated.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      const ready = await s.tracking.finalizeLoggedModel(m.modelId, "READY");
      expect(ready.status).toBe("READY");
      expect(ready.lastUpdatedTimestamp).toBeGreaterThanOrEqual(m.creationTimestamp);
      expect((await s.tracking.finalizeLoggedModel(m.modelId, "FAILED")).status).toBe("FAILED");
      expect(await errorCodeOf(s.tracking.createLoggedModel({ experimentId: exp, name: "a.b" }))).toBe("INVALID_PARAMETER_VALUE");
      expect(await errorCodeOf(s.tracking.createLoggedModel({ experimentId: "987654321" }))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect(await errorCodeOf(s.tracking.getLoggedModel("m-00000000000000000000000000000000"))).toBe("RESOURCE_DOES_NOT_EXIST");
      const gone = await s.tracking.createExperiment(unique("gone"));
      await s.tracking.deleteExperiment(gone);
      expect(await errorCodeOf(s.tracking.createLoggedModel({ experimentId: gone }))).toMatch(/INVALID_STATE|INVALID_PARAMETER_VALUE/);
    });

    it("sets, overwrites and deletes tags, adds params, and forgets a deleted model", async () => {
      const exp = await s.tracking.createExperiment(unique("tags"));
      const m = await s.tracking.createLoggedModel({ experimentId: exp, name: "tagged", tags: [{ key: "a", value: "1" }] });
      await s.tracking.setLoggedModelTags(m.modelId, [{ key: "a", value: "2" }, { key: "b", value: "3" }]);
      await s.tracking.deleteLoggedModelTag(m.modelId, "b");
      expect(await errorCodeOf(s.tracking.deleteLoggedModelTag(m.modelId, "zz"))).toBe("RESOURCE_DOES_NOT_EXIST");
      await s.tracking.logLoggedModelParams(m.modelId, [{ key: "lr", value: "0.1" }]);
      const got = await s.tracking.getLoggedModel(m.modelId);
      expect(got.tags).toEqual([{ key: "a", value: "2" }]);
      expect(got.params).toEqual([{ key: "lr", value: "0.1" }]);
      await s.tracking.deleteLoggedModel(m.modelId);
      expect(await errorCodeOf(s.tracking.getLoggedModel(m.modelId))).toBe("RESOURCE_DOES_NOT_EXIST");
      expect((await s.tracking.searchLoggedModels({ experimentIds: [exp] })).items).toEqual([]);
    });

    it("links metrics to a model (with their dataset) without repeating the run's own points, and records the run's outputs", async () => {
      const exp = await s.tracking.createExperiment(unique("metrics"));
      const runId = await newRun(exp);
      const point: Metric = { key: "rmse", value: 0.5, timestamp: 1000, step: 0 };
      await s.tracking.logBatch(runId, { metrics: [point] });
      const m = await s.tracking.createLoggedModel({ experimentId: exp, name: "model", sourceRunId: runId });
      await s.tracking.logOutputs(runId, [{ modelId: m.modelId, step: 0 }]);
      await s.tracking.logOutputs(runId, [{ modelId: m.modelId, step: 0 }]);
      // What logModel does: the run's point of the model's step, again, naming the model.
      await s.tracking.logBatch(runId, { metrics: [{ ...point, modelId: m.modelId }, { key: "mae", value: 0.25, timestamp: 1001, step: 0, modelId: m.modelId, datasetName: "holdout", datasetDigest: "abcd1234" }] });
      expect((await s.tracking.getMetricHistory(runId, "rmse")).map((x) => x.value)).toEqual([0.5]);
      const model = await s.tracking.getLoggedModel(m.modelId);
      const metrics = [...model.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((x) => ({ key: x.key, value: x.value, runId: x.runId, modelId: x.modelId, datasetName: x.datasetName ?? null }));
      expect(metrics).toEqual([
        { key: "mae", value: 0.25, runId, modelId: m.modelId, datasetName: "holdout" },
        { key: "rmse", value: 0.5, runId, modelId: m.modelId, datasetName: null },
      ]);
      const run = await s.tracking.getRun(runId);
      expect(run.outputs?.modelOutputs).toEqual([{ modelId: m.modelId, step: 0 }]);
      expect(run.data.metrics.map((x) => x.key).sort()).toEqual(["mae", "rmse"]);
    });

    it("searches models by attributes, params, tags, metrics and datasets, orders them (missing values last) and pages through all of them once", async () => {
      const exp = await s.tracking.createExperiment(unique("search"));
      const runId = await newRun(exp);
      const made: Array<{ name: string; id: string }> = [];
      for (const [i, name] of ["alpha", "beta", "gamma", "delta"].entries()) {
        const m = await s.tracking.createLoggedModel({ experimentId: exp, name, sourceRunId: runId, modelType: i % 2 === 0 ? "even" : "odd", params: [{ key: "i", value: String(i) }], tags: [{ key: "t", value: name[0] as string }] });
        made.push({ name, id: m.modelId });
        if (name !== "delta") {
          await s.tracking.logBatch(runId, { metrics: [{ key: "score", value: 10 - i, timestamp: 2000 + i, step: i, modelId: m.modelId, datasetName: i === 0 ? "test" : "train", datasetDigest: "d1" }] });
        }
      }
      const names = async (options: Partial<Parameters<typeof s.tracking.searchLoggedModels>[0]>): Promise<string[]> =>
        (await s.tracking.searchLoggedModels({ experimentIds: [exp], ...options })).items.map((m) => m.name);
      expect(await names({ filterString: "name = 'beta'" })).toEqual(["beta"]);
      expect((await names({ filterString: "name LIKE '%a'" })).sort()).toEqual(["alpha", "beta", "delta", "gamma"]);
      expect((await names({ filterString: "model_type = 'odd' AND params.i != '1'" })).sort()).toEqual(["delta"]);
      expect((await names({ filterString: "tags.t IN ('a', 'g')" })).sort()).toEqual(["alpha", "gamma"]);
      expect((await names({ filterString: "metrics.score >= 9" })).sort()).toEqual(["alpha", "beta"]);
      expect(await names({ filterString: "metrics.score >= 9", datasets: [{ datasetName: "train" }] })).toEqual(["beta"]);
      expect((await names({ datasets: [{ datasetName: "train", datasetDigest: "d1" }] })).sort()).toEqual(["beta", "gamma"]);
      expect(await names({ datasets: [{ datasetName: "train", datasetDigest: "other" }] })).toEqual([]);
      expect(await names({ orderBy: [{ fieldName: "metrics.score", ascending: true }] })).toEqual(["gamma", "beta", "alpha", "delta"]);
      expect(await names({ orderBy: [{ fieldName: "metrics.score", ascending: false }] })).toEqual(["alpha", "beta", "gamma", "delta"]);
      expect(await names({ orderBy: [{ fieldName: "name" }] })).toEqual(["alpha", "beta", "delta", "gamma"]);
      expect(await errorCodeOf(s.tracking.searchLoggedModels({ experimentIds: [exp], filterString: "metric.score > 1" }))).toBe("INVALID_PARAMETER_VALUE");
      expect(await errorCodeOf(s.tracking.searchLoggedModels({ experimentIds: [exp], orderBy: [{ fieldName: "params.i" }] }))).toBe("INVALID_PARAMETER_VALUE");
      const seen: string[] = [];
      let pageToken: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof s.tracking.searchLoggedModels>> = await s.tracking.searchLoggedModels({ experimentIds: [exp], maxResults: 3, orderBy: [{ fieldName: "name" }], pageToken });
        seen.push(...page.items.map((m) => m.name));
        pageToken = page.nextPageToken;
        if (pageToken !== null) {
          expect(await errorCodeOf(s.tracking.searchLoggedModels({ experimentIds: [exp], maxResults: 3, pageToken }))).toBe("INVALID_PARAMETER_VALUE");
        }
      } while (pageToken !== null);
      expect(seen).toEqual(["alpha", "beta", "delta", "gamma"]);
      expect((await s.tracking.searchLoggedModels({ experimentIds: ["987654321"] })).items).toEqual([]);
    });

    it("logs dataset inputs once per run with their context, shares a dataset between runs, and rejects oversized fields", async () => {
      const exp = await s.tracking.createExperiment(unique("inputs"));
      const [a, b] = [await newRun(exp), await newRun(exp)];
      await s.tracking.logInputs(a, [dataset("train", "d1", "train"), dataset("train", "d1", "again"), dataset("holdout", "d2", "eval")]);
      await s.tracking.logInputs(a, [dataset("train", "d1", "later")]);
      await s.tracking.logInputs(b, [dataset("train", "d1", "train")]);
      const inputs = (await s.tracking.getRun(a)).inputs?.datasetInputs ?? [];
      expect(inputs.map((i) => [i.dataset.name, i.dataset.digest, i.tags]).sort()).toEqual([
        ["holdout", "d2", [{ key: "mlflow.data.context", value: "eval" }]],
        ["train", "d1", [{ key: "mlflow.data.context", value: "train" }]],
      ]);
      expect(inputs.find((i) => i.dataset.name === "train")?.dataset).toEqual(dataset("train", "d1").dataset);
      expect((await s.tracking.getRun(b)).inputs?.datasetInputs.map((i) => i.dataset.name)).toEqual(["train"]);
      expect(await errorCodeOf(s.tracking.logInputs(a, [dataset("x".repeat(501), "d")]))).toBe("INVALID_PARAMETER_VALUE");
      expect(await errorCodeOf(s.tracking.logInputs(a, [dataset("x", "d".repeat(37))]))).toBe("INVALID_PARAMETER_VALUE");
      expect(await errorCodeOf(s.tracking.logInputs("0123456789abcdef0123456789abcdef", [dataset("x", "d")]))).toBe("RESOURCE_DOES_NOT_EXIST");
    });

    it("filters runs on datasets.name, datasets.digest and datasets.context as MLflow does", async () => {
      const exp = await s.tracking.createExperiment(unique("dsearch"));
      const [a, b, c] = [await newRun(exp), await newRun(exp), await newRun(exp)];
      await s.tracking.logInputs(a, [dataset("olx-train", "aa11", "train"), dataset("olx-holdout", "bb22", "eval")]);
      await s.tracking.logInputs(b, [dataset("olx-train", "cc33", "train")]);
      const ids = async (filterString: string): Promise<string[]> =>
        (await s.tracking.searchRuns({ experimentIds: [exp], filterString })).items.map((r) => r.info.runId).sort();
      expect(await ids("datasets.name = 'olx-holdout'")).toEqual([a]);
      expect(await ids("datasets.name = 'olx-train'")).toEqual([a, b].sort());
      expect(await ids("datasets.digest = 'cc33'")).toEqual([b]);
      expect(await ids("dataset.context = 'eval'")).toEqual([a]);
      expect(await ids("datasets.name LIKE 'olx-%' AND datasets.context = 'train'")).toEqual([a, b].sort());
      expect(await ids("datasets.digest IN ('aa11', 'cc33')")).toEqual([a, b].sort());
      expect(await ids("datasets.name != 'olx-train'")).toEqual([a]);
      expect(await ids("attributes.run_id = '" + c + "'")).toEqual([c]);
      expect(await errorCodeOf(s.tracking.searchRuns({ experimentIds: [exp], filterString: "datasets.source = 'x'" }))).toBe("INVALID_PARAMETER_VALUE");
    });

    it("registers a version from a logged model: its files where get-download-uri points, its run, and the model lists the version", async () => {
      const exp = await s.tracking.createExperiment(unique("reg"));
      const runId = await newRun(exp);
      const m = await s.tracking.createLoggedModel({ experimentId: exp, name: "model", sourceRunId: runId });
      const name = unique("registered");
      await client.createRegisteredModel(name);
      const v = await client.createModelVersion(name, `models:/${m.modelId}`, { modelId: m.modelId });
      expect(v).toMatchObject({ source: `models:/${m.modelId}`, runId, modelId: m.modelId });
      expect(await client.getModelVersionDownloadUri(name, v.version)).toBe(m.artifactLocation);
      expect((await client.getLoggedModel(m.modelId)).tags).toContainEqual({ key: "mlflow.modelVersions", value: `[{"name": "${name}", "version": ${v.version}}]` });
      expect(await errorCodeOf(client.createModelVersion(name, "models:/m-00000000000000000000000000000000"))).toBe("INTERNAL_ERROR");
    });
  });
}

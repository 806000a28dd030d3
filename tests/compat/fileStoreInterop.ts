/**
 * FileStores crossing between our library and the real MLflow: a store our library
 * writes (with the values written kept as the truth), and a reader that lists any store
 * in the very shape the Python scenario's `read_our_filestore` lists it, so that what
 * real MLflow reads and what our library reads compare field by field.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MlflowClient } from "../../src/tracking/client";
import { FileStore } from "../../src/tracking/store/fileStore";
import { FileRegistryStore } from "../../src/tracking/store/fileRegistryStore";
import { localPathOfUri } from "../../src/tracking/store/fileLayout";
import { getArtifactRepository } from "../../src/tracking/artifacts/artifactRepository";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { readModelInfo } from "../../src/tracking/model/mlmodel";
import type { Run } from "../../src/tracking/entities";

/** A number as the Python side writes it (non-finite as proto JSON strings). */
function plainNumber(v: number): number | string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  return v;
}

/** What the writer put in our store (the independent truth for MLflow's reading). */
export interface WrittenStore {
  readonly root: string;
  readonly runIds: Record<string, string>;
  readonly artifactText: Record<string, string>;
}

/** Writes a small but complete store with our library: experiments, runs, artifacts, a logged model, the registry. */
export async function writeOurFileStore(root: string, work: string): Promise<WrittenStore> {
  const client = new MlflowClient({ tracking: new FileStore(root), registry: new FileRegistryStore(root) });
  const exp = await client.createExperiment("written-by-ts", { tags: { source: "typescript", miasto: "Gdańsk" } });
  const run = await client.createRun(exp, { startTime: 1_700_000_000_000, runName: "ts-run", tags: { team: "ml" } });
  const id = run.info.runId;
  await client.logBatch(id, {
    metrics: [1, 0.5, NaN, Infinity, 1e-7, 123456789.125].map((value, step) => ({ key: "loss", value, timestamp: 1_700_000_000_000 + step, step })),
    params: [{ key: "alpha", value: "0.1" }, { key: "text", value: "zażółć gęślą jaźń" }],
    tags: [{ key: "nested/tag", value: "v" }],
  });
  await client.logMetric(id, "acc", 0.75, { timestamp: 1_700_000_000_100, step: 3 });
  const files = mkdtempSync(join(work, "ts-files-"));
  mkdirSync(join(files, "notes"));
  const artifactText = { "notes/readme.txt": "hello from typescript", "config.json": JSON.stringify({ k: [1, 2.5, null] }) };
  for (const [rel, text] of Object.entries(artifactText)) writeFileSync(join(files, rel), text);
  await client.logArtifacts(id, files);
  await logModelToRun(client, id, { toJSON: () => ({ kind: "Ridge", params: { alpha: 1 }, state: { weights: [1.5, -2], bias: 0.5 } }) }, {
    signature: { inputs: [{ type: "double", name: "area" }, { type: "string", name: "city" }] },
    inputExample: { columns: ["area", "city"], data: [[50, "Kraków"]] },
  });
  await client.setTerminated(id, "FINISHED", 1_700_000_001_000);
  const child = await client.createRun(exp, { startTime: 1_700_000_000_500, runName: "ts-child", tags: { "mlflow.parentRunId": id } });
  await client.logParam(child.info.runId, "fold", "1");
  await client.deleteRun(child.info.runId);
  await client.deleteExperiment(await client.createExperiment("deleted-by-ts"));
  await client.createRegisteredModel("ts-model", { tags: { owner: "ts" }, description: "from typescript" });
  await client.createModelVersion("ts-model", `${run.info.artifactUri}/model`, { runId: id, description: "first" });
  await client.createModelVersion("ts-model", `${run.info.artifactUri}/model`, { runId: id });
  await client.transitionModelVersionStage("ts-model", 1, "Production");
  await client.setRegisteredModelAlias("ts-model", "champion", 2);
  await client.setModelVersionTag("ts-model", 2, "checked", "yes");
  return { root, runIds: { "ts-run": id, "ts-child": child.info.runId }, artifactText };
}

/** Lists a FileStore with our library in the shape of the Python scenario's `read_our_filestore`. */
export async function readStoreLikeMlflow(root: string): Promise<unknown> {
  const tracking = new FileStore(root);
  const registry = new FileRegistryStore(root);
  const experiments = (await tracking.searchExperiments({ viewType: "ALL", maxResults: 50_000 })).items
    .map((e) => ({ id: e.experimentId, name: e.name, tags: Object.fromEntries(e.tags.map((t) => [t.key, t.value])), lifecycle: e.lifecycleStage, artifact_location: e.artifactLocation }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const runs: unknown[] = [];
  const loggedModels: unknown[] = [];
  for (const e of experiments) {
    const found: Run[] = (await tracking.searchRuns({ experimentIds: [e.id], runViewType: "ALL", orderBy: ["attributes.start_time ASC"], maxResults: 50_000 })).items;
    for (const r of found) {
      const repo = getArtifactRepository(r.info.artifactUri);
      const artifacts: Array<{ path: string; size: number | null; sha256: string }> = [];
      const walk = async (path?: string): Promise<void> => {
        for (const f of await repo.listArtifacts(path)) {
          if (f.isDir) await walk(f.path);
          else artifacts.push({ path: f.path, size: f.fileSize, sha256: createHash("sha256").update(readFileSync(join(localPathOfUri(r.info.artifactUri), f.path))).digest("hex") });
        }
      };
      await walk();
      const history: Record<string, unknown[]> = {};
      for (const m of r.data.metrics) history[m.key] = (await tracking.getMetricHistory(r.info.runId, m.key)).map((h) => [h.timestamp, h.step, plainNumber(h.value)]);
      const tags = Object.fromEntries(r.data.tags.map((t) => [t.key, t.value]));
      runs.push({
        experiment: e.name,
        run_id: r.info.runId,
        name: r.info.runName,
        status: r.info.status,
        start_time: r.info.startTime,
        end_time: r.info.endTime,
        lifecycle: r.info.lifecycleStage,
        params: Object.fromEntries(r.data.params.map((p) => [p.key, p.value])),
        metrics: Object.fromEntries(r.data.metrics.map((m) => [m.key, plainNumber(m.value)])),
        tags,
        history,
        artifacts: artifacts.sort((a, b) => (a.path < b.path ? -1 : 1)),
      });
      const modelHistory = tags["mlflow.log-model.history"];
      if (modelHistory !== undefined) {
        for (const entry of JSON.parse(modelHistory) as Array<{ artifact_path: string }>) {
          const info = readModelInfo(join(localPathOfUri(r.info.artifactUri), entry.artifact_path));
          loggedModels.push({
            run_id: r.info.runId,
            artifact_path: entry.artifact_path,
            flavors: Object.keys(info.flavors).sort(),
            model_uuid: info.modelUuid,
            signature_inputs: info.signature === null ? null : info.signature.inputs.map((c) => c.name ?? null),
          });
        }
      }
    }
  }
  const models = [];
  for (const m of (await registry.searchRegisteredModels({ maxResults: 1000 })).items) {
    const versions = (await registry.searchModelVersions({ filterString: `name = '${m.name}'`, maxResults: 10_000 })).items.sort((a, b) => Number(a.version) - Number(b.version));
    models.push({
      name: m.name,
      description: m.description,
      tags: Object.fromEntries(m.tags.map((t) => [t.key, t.value])),
      aliases: Object.fromEntries(m.aliases.map((a) => [a.alias, a.version])),
      latest: m.latestVersions.map((v) => [v.version, v.currentStage]).sort(),
      versions: versions.map((v) => ({
        version: v.version,
        stage: v.currentStage,
        source: v.source,
        run_id: v.runId,
        tags: Object.fromEntries(v.tags.map((t) => [t.key, t.value])),
        aliases: [...v.aliases].sort(),
        description: v.description,
      })),
    });
  }
  tracking.close();
  return { experiments, runs, models, logged_models: loggedModels };
}

/**
 * What the S3 server and interop tests log and read back: a run with a folder of files
 * (one above the 8 MiB part size) and a registered Ridge model, and checksums of what
 * actually sits in S3.
 */
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { expect } from "vitest";
import type { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import type { ModelLogFormat } from "../../src/tracking/model/modelLogFormat";
import { loadLibraryModel } from "../../src/integration/modelLoader";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { S3ObjectStore } from "../../src/tracking/artifacts/s3ObjectStore";
import { s3SettingsFromEnv } from "../../src/tracking/artifacts/s3Settings";
import { writeTree } from "./files";

const MiB = 1024 * 1024;

/** What {@link logRunWithModel} logged. */
export interface LoggedRun {
  readonly experimentId: string;
  readonly runId: string;
  readonly artifactUri: string;
  /** Checksums of the files logged, by artifact path. */
  readonly sums: Record<string, string>;
  readonly model: Ridge;
  /** The MLflow 3 logged model, when the model was logged as one (the default on a tracking server). */
  readonly loggedModel: { readonly modelId: string; readonly artifactLocation: string } | null;
}

/** Checksums of every object under `bucket/prefix/`, read from S3 itself (credentials from the environment). */
export async function s3Sums(bucket: string, prefix: string): Promise<Record<string, string>> {
  const store = new S3ObjectStore(bucket, s3SettingsFromEnv());
  const out: Record<string, string> = {};
  for (const f of (await store.list(prefix, true)).files) {
    const { stream } = await store.download(f.key);
    const h = createHash("sha256");
    for await (const c of stream) h.update(c as Buffer);
    out[f.key.slice(prefix.length + 1)] = h.digest("hex");
  }
  return out;
}

/**
 * Logs a folder (notes.txt, data/big.bin of 9 MiB, data/deep/x.json) and a Ridge model
 * registered as `modelName` to a new run of a new experiment (at `artifactLocation` when given).
 * The model is logged in `format` (default: as `logModel` chooses, an MLflow 3 logged model on a
 * server; `run-artifact` puts it under the run's `model/`, where an MLflow 2 client looks).
 */
export async function logRunWithModel(
  client: MlflowClient,
  work: string,
  experimentName: string,
  modelName: string,
  artifactLocation?: string,
  format: ModelLogFormat | "auto" = "auto",
): Promise<LoggedRun> {
  const experimentId = await client.createExperiment(experimentName, { artifactLocation });
  const run = await client.createRun(experimentId);
  const runId = run.info.runId;
  const src = join(work, `${experimentName}-src`);
  const sums = writeTree(src, { "notes.txt": Buffer.from("logged through mlflow-demo-ts\n"), "data/big.bin": randomBytes(9 * MiB), "data/deep/x.json": Buffer.from('{"x": 1}') });
  await client.logArtifacts(runId, src);
  const model = new Ridge({ alpha: 0.5 }).fit(fromRows([[1, 2], [2, 1], [3, 5], [4, 3]]), [5, 4, 13, 10]);
  const logged = await logModelToRun(client, runId, model, { registeredModelName: modelName, format });
  await client.setTerminated(runId);
  return { experimentId, runId, artifactUri: run.info.artifactUri, sums, model, loggedModel: logged.loggedModel };
}

/** Loads `models:/<modelName>/1` and checks it predicts as `model` does. */
export async function expectSameModel(client: MlflowClient, modelName: string, model: Ridge): Promise<void> {
  const loaded = await loadLibraryModel(`models:/${modelName}/1`, client);
  const X = [[1.5, 2.5], [6, 1]];
  expect(Array.from(loaded.predict({ columns: ["0", "1"], data: X }))).toEqual(Array.from(model.predict(fromRows(X))));
}

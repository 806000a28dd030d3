/**
 * A store as the talk leaves it, logged through the library's client (to a server, or
 * straight into a FileStore folder): the simple trainer's four model runs with
 * per-fold metric histories and artifacts of every previewed kind (text, JSON, YAML, CSV,
 * PNG, HTML) plus a logged Ridge model with a signature, registered and given the alias
 * `champion`, and its training data logged as a dataset input; and a tuning study as Optuna's MLflow callback logs it, 120 trials (COMPLETE,
 * PRUNED, FAIL) nested under a parent run, so the table has to page and group.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodePng } from "../../scripts/png.mjs";
import type { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { Ridge } from "../../src/models/ridge";
import { fromRows } from "../../src/util/matrix";
import { Random } from "../../src/util/random";

/** What the seed made. */
export interface Seeded {
  readonly trainerExperimentId: string;
  readonly studyExperimentId: string;
  readonly studyName: string;
  readonly parentRunId: string;
  readonly trialRunIds: readonly string[];
  /** Trial number to its objective value (COMPLETE and PRUNED trials have one). */
  readonly values: ReadonlyMap<number, number>;
  readonly states: ReadonlyMap<number, "COMPLETE" | "PRUNED" | "FAIL">;
  /** Trial number to its `max_depth` param. */
  readonly maxDepth: ReadonlyMap<number, string>;
  /** Trial number to its `eta` param, as logged. */
  readonly eta: ReadonlyMap<number, string>;
  readonly modelRunIds: Readonly<Record<string, string>>;
  readonly modelName: string;
  /** A run name that would run script if the UI inserted it as HTML. */
  readonly evilName: string;
  /** The dataset the Ridge run logged as its training input. */
  readonly dataset: { readonly name: string; readonly digest: string; readonly context: string };
}

/** The study's size: more than one page of the runs table (100). */
export const TRIALS = 120;

/** A 4x4 red PNG (image previews). */
function tinyPng(): Buffer {
  return encodePng(4, 4, () => [255, 0, 0, 255]);
}

const MODELS: ReadonlyArray<[string, number]> = [["Ridge", 61_200], ["RandomForest", 48_900], ["LinearSVR", 402_000], ["KNN", 96_500]];

const DATASET = { name: "olx-sample", digest: "5e1f0a9c", context: "training" } as const;

/** Logs the store's contents with `client`. */
export async function seedStore(client: MlflowClient): Promise<Seeded> {
  const tmp = mkdtempSync(join(tmpdir(), "ui-seed-"));
  try {
    const trainerExperimentId = await client.createExperiment("olx-simple-trainer");
    const evilName = `<img src=x onerror="window.__xss=1">`;
    const modelRunIds: Record<string, string> = {};
    const t0 = 1_790_000_000_000;
    for (const [i, [model, rmse]] of MODELS.entries()) {
      const run = await client.createRun(trainerExperimentId, { runName: model, startTime: t0 + i * 60_000, tags: { "mlflow.source.name": "train", "mlflow.source.git.commit": "f8fd5ab0c0ffee", model } });
      const id = run.info.runId;
      modelRunIds[model] = id;
      await client.logBatch(id, {
        params: [{ key: "model", value: model }, { key: "cv", value: "5" }, { key: "alpha", value: i === 0 ? "1.0" : "" }].filter((p) => p.value !== ""),
        metrics: [
          ...[0, 1, 2, 3, 4].map((step) => ({ key: "fold_rmse", value: rmse * (1 + 0.03 * Math.sin(step + i)), timestamp: t0 + step, step })),
          { key: "test_rmse", value: rmse, timestamp: t0, step: 0 },
          { key: "test_mae", value: rmse * 0.78, timestamp: t0, step: 0 },
          { key: "test_r2", value: 0.9 - i * 0.05, timestamp: t0, step: 0 },
        ],
      });
      await client.setTerminated(id, "FINISHED", t0 + i * 60_000 + 4_200 + i * 1000);
    }
    const ridgeRun = modelRunIds.Ridge as string;
    const files: Record<string, string | Buffer> = {
      "notes.txt": "Ridge on the OLX sample.\nalpha = 1.0\n",
      "metrics.json": JSON.stringify({ rmse: 61200, mae: 47736, folds: [1, 2, 3, 4, 5] }),
      "config.yaml": "model: Ridge\nalpha: 1.0\nfeatures:\n  - area\n  - rooms\n",
      "predictions.csv": "city,area,price,predicted\nWarszawa,48.5,\"620,000\",598114.2\nKraków,36,410000,432871.9\n",
      "residuals.png": tinyPng(),
      "report.html": `<html><body><h1>Residuals</h1><script>parent.__framed = 1</script></body></html>`,
    };
    for (const [name, content] of Object.entries(files)) {
      const path = join(tmp, name);
      writeFileSync(path, content);
      await client.logArtifact(ridgeRun, path, "reports");
    }
    const ridge = new Ridge({ alpha: 1 });
    ridge.fit(fromRows([[1, 2], [2, 1], [3, 5], [4, 3]]), Float64Array.from([3, 4, 9, 8]));
    // MLflow 2.17's layout (the model in the run's artifacts, which MLflow 2.17's UI browses), as
    // a FileStore or an MLflow 2 server gets it; through a server, "auto" would log an MLflow 3
    // logged model outside the run's artifacts.
    await logModelToRun(client, ridgeRun, ridge, {
      format: "run-artifact",
      registeredModelName: "olx-ridge",
      signature: { inputs: [{ type: "double", name: "area" }, { type: "double", name: "rooms" }], outputs: [{ type: "double", name: "price" }] },
    });
    await client.setRegisteredModelAlias("olx-ridge", "champion", "1");
    await client.logInputs(ridgeRun, [{ dataset: { name: DATASET.name, digest: DATASET.digest, sourceType: "local", source: JSON.stringify({ uri: "data/olx_sample.csv" }), schema: null, profile: JSON.stringify({ num_rows: 4 }) }, tags: [{ key: "mlflow.data.context", value: DATASET.context }] }]);
    await client.updateModelVersion("olx-ridge", "1", "Ridge, alpha 1, on the **OLX sample**.");
    const evil = await client.createRun(trainerExperimentId, { runName: evilName, startTime: t0 - 1000 });
    await client.setTerminated(evil.info.runId, "FAILED", t0);

    const studyName = "olx-study";
    const studyExperimentId = await client.createExperiment(studyName);
    const parent = await client.createRun(studyExperimentId, { runName: "study", startTime: t0 });
    const rng = new Random(42);
    const rnd = (): number => rng.random();
    const values = new Map<number, number>();
    const states = new Map<number, "COMPLETE" | "PRUNED" | "FAIL">();
    const trialRunIds: string[] = [];
    const maxDepths = new Map<number, string>();
    const etas = new Map<number, string>();
    for (let n = 0; n < TRIALS; n++) {
      const eta = 0.001 + rnd() * 0.299;
      const maxDepth = 5 + Math.floor(rnd() * 6);
      const subsample = 0.5 + rnd() * 0.5;
      const state = n % 10 === 7 ? "FAIL" : n % 3 === 2 ? "PRUNED" : "COMPLETE";
      states.set(n, state);
      maxDepths.set(n, String(maxDepth));
      etas.set(n, String(eta));
      const value = 60_000 + 40_000 * (eta - 0.15) ** 2 * 40 + 900 * Math.abs(maxDepth - 7) + 5_000 * (1 - subsample) + rnd() * 500;
      const run = await client.createRun(studyExperimentId, {
        runName: String(n),
        startTime: t0 + 10_000 + n * 1_000,
        tags: {
          "mlflow.parentRunId": parent.info.runId,
          number: String(n),
          datetime_start: "2026-11-26 10:31:39.123000",
          datetime_complete: "2026-11-26 10:31:41.456000",
          state,
          direction: "MINIMIZE",
          eta_distribution: "FloatDistribution(high=0.3, log=False, low=0.001, step=None)",
        },
      });
      trialRunIds.push(run.info.runId);
      const metrics = state === "FAIL" ? [] : [{ key: "value", value, timestamp: t0, step: 0 }];
      if (state !== "FAIL") values.set(n, value);
      await client.logBatch(run.info.runId, { params: [{ key: "eta", value: String(eta) }, { key: "max_depth", value: String(maxDepth) }, { key: "subsample", value: String(subsample) }], metrics });
      await client.setTerminated(run.info.runId, "FINISHED", t0 + 10_000 + n * 1_000 + 800);
    }
    await client.logBatch(parent.info.runId, { metrics: [{ key: "best_value", value: Math.min(...values.values()), timestamp: t0, step: 0 }] });
    await client.setTerminated(parent.info.runId, "FINISHED", t0 + 10_000 + TRIALS * 1_000);
    return { trainerExperimentId, studyExperimentId, studyName, parentRunId: parent.info.runId, trialRunIds, values, states, maxDepth: maxDepths, eta: etas, modelRunIds, modelName: "olx-ridge", evilName, dataset: DATASET };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

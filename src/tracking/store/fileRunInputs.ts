/**
 * Run inputs in the FileStore, as MLflow 2.17 (and 3) lay them out: each dataset once per
 * experiment in `<experiment>/datasets/<md5(name, digest)>/meta.yaml`, and each input of a
 * run in `<run>/inputs/<md5(dataset id, run id)>/meta.yaml` with its tags (a model input's
 * id is `md5(model id, run id)`).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { MlflowError } from "../errors";
import type { Dataset, DatasetInput, ModelInput, RunInputs } from "../entities";
import { dumpYaml, type YamlValue } from "../yaml";
import { dedupeDatasetInputs, md5Hex, validateDatasetInputs } from "../datasetRules";
import { writeFileAtomic } from "./atomicFiles";
import { listNames, readYamlMap } from "./yamlDirs";
import { DATASETS_FOLDER_NAME, INPUTS_FOLDER_NAME, META_DATA_FILE_NAME } from "./fileLayout";
import { makeDirs } from "../../util/makeDirs";

type YamlMap = { [key: string]: YamlValue };

const nullable = (v: YamlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

function datasetOf(meta: YamlMap): Dataset {
  return {
    name: String(meta.name ?? ""),
    digest: String(meta.digest ?? ""),
    sourceType: String(meta.source_type ?? ""),
    source: String(meta.source ?? ""),
    schema: nullable(meta.schema),
    profile: nullable(meta.profile),
  };
}

/** Writes a run's dataset and model inputs (a dataset or input already there is left as it is). */
export function writeRunInputs(experimentDir: string, runDir: string, runId: string, datasets: readonly DatasetInput[], models: readonly ModelInput[]): void {
  validateDatasetInputs(datasets);
  const writeOnce = (dir: string, meta: YamlMap): void => {
    if (existsSync(join(dir, META_DATA_FILE_NAME))) return;
    makeDirs(dir);
    writeFileAtomic(join(dir, META_DATA_FILE_NAME), dumpYaml(meta), dir);
  };
  for (const input of dedupeDatasetInputs(datasets)) {
    const d = input.dataset;
    const datasetId = md5Hex(d.name, d.digest);
    writeOnce(join(experimentDir, DATASETS_FOLDER_NAME, datasetId), {
      digest: d.digest,
      name: d.name,
      profile: d.profile,
      schema: d.schema,
      source: d.source,
      source_type: d.sourceType,
    });
    const tags: YamlMap = {};
    for (const t of input.tags) tags[t.key] = t.value;
    // MLflow writes the source id as destination_id too; readers only use source_id.
    writeOnce(join(runDir, INPUTS_FOLDER_NAME, md5Hex(datasetId, runId)), {
      destination_id: datasetId,
      destination_type: "RUN",
      source_id: datasetId,
      source_type: "DATASET",
      tags,
    });
  }
  for (const m of models) {
    writeOnce(join(runDir, INPUTS_FOLDER_NAME, md5Hex(m.modelId, runId)), {
      destination_id: m.modelId,
      destination_type: "RUN",
      source_id: m.modelId,
      source_type: "MODEL",
      tags: {},
    });
  }
}

/** Reads a run's inputs; an input whose dataset is missing is skipped, as MLflow does (with a warning there). */
export function readRunInputs(experimentDir: string, runDir: string): RunInputs {
  const base = join(runDir, INPUTS_FOLDER_NAME);
  const datasetInputs: DatasetInput[] = [];
  const modelInputs: ModelInput[] = [];
  for (const name of listNames(base)) {
    const meta = readYamlMap(join(base, name, META_DATA_FILE_NAME));
    if (meta === null) continue;
    const sourceId = String(meta.source_id ?? "");
    if (meta.source_type === "MODEL") {
      modelInputs.push({ modelId: sourceId });
      continue;
    }
    if (meta.source_type !== "DATASET") continue;
    const datasetMeta = readYamlMap(join(experimentDir, DATASETS_FOLDER_NAME, sourceId, META_DATA_FILE_NAME));
    if (datasetMeta === null) continue;
    const tagMap = meta.tags !== null && typeof meta.tags === "object" && !Array.isArray(meta.tags) ? meta.tags : {};
    datasetInputs.push({ dataset: datasetOf(datasetMeta), tags: Object.entries(tagMap).map(([key, value]) => ({ key, value: String(value ?? "") })) });
  }
  return { datasetInputs, modelInputs };
}

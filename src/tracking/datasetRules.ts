/**
 * MLflow 2.17's checks of dataset inputs (`_validate_dataset_inputs`) and the ids its
 * FileStore gives datasets and inputs (MD5 of name + digest, and of dataset id + run id).
 */
import { createHash } from "node:crypto";
import { MlflowError } from "./errors";
import type { DatasetInput } from "./entities";

/** Longest dataset name, digest, source, schema and profile; longest input tag key and value. */
export const DATASET_LIMITS = { name: 500, digest: 36, source: 65535, schema: 1048575, profile: 16777215, tagKey: 255, tagValue: 500 } as const;

function tooLong(path: string, limit: number): MlflowError {
  return MlflowError.invalidParameterValue(`'${path}' exceeds the maximum length of ${limit} characters`);
}

/** Checks datasets and their input tags as MLflow does; INVALID_PARAMETER_VALUE names the field. */
export function validateDatasetInputs(inputs: readonly DatasetInput[]): void {
  for (const input of inputs) {
    const d = input.dataset as Partial<DatasetInput["dataset"]> | undefined;
    if (d === undefined || d === null) throw MlflowError.invalidParameterValue("Dataset cannot be None");
    for (const field of ["name", "digest", "sourceType", "source"] as const) {
      if (typeof d[field] !== "string") {
        const pythonName = field === "sourceType" ? "source_type" : field;
        throw MlflowError.invalidParameterValue(`Dataset ${pythonName} cannot be None`);
      }
    }
    if ((d.name as string).length > DATASET_LIMITS.name) throw tooLong("name", DATASET_LIMITS.name);
    if ((d.digest as string).length > DATASET_LIMITS.digest) throw tooLong("digest", DATASET_LIMITS.digest);
    if ((d.source as string).length > DATASET_LIMITS.source) throw tooLong("source", DATASET_LIMITS.source);
    if (typeof d.schema === "string" && d.schema.length > DATASET_LIMITS.schema) throw tooLong("schema", DATASET_LIMITS.schema);
    if (typeof d.profile === "string" && d.profile.length > DATASET_LIMITS.profile) throw tooLong("profile", DATASET_LIMITS.profile);
    for (const tag of input.tags) {
      if (typeof tag.key !== "string") throw MlflowError.invalidParameterValue("InputTag key cannot be None");
      if (typeof tag.value !== "string") throw MlflowError.invalidParameterValue("InputTag value cannot be None");
      if (tag.key.length > DATASET_LIMITS.tagKey) throw tooLong("key", DATASET_LIMITS.tagKey);
      if (tag.value.length > DATASET_LIMITS.tagValue) throw tooLong("value", DATASET_LIMITS.tagValue);
    }
  }
}

/** MD5 hex of the concatenated UTF-8 parts (MLflow's `md5.update(a); md5.update(b)`). */
export function md5Hex(...parts: readonly string[]): string {
  const hash = createHash("md5");
  for (const p of parts) hash.update(p, "utf8");
  return hash.digest("hex");
}

/** Keeps the first input of each (name, digest), as MLflow's stores do within one call. */
export function dedupeDatasetInputs(inputs: readonly DatasetInput[]): DatasetInput[] {
  const seen = new Set<string>();
  return inputs.filter((i) => {
    const key = `${i.dataset.name}\0${i.dataset.digest}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

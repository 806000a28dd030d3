/**
 * Reading the FileStore's small metadata folders: the sorted entries of a folder (none
 * when it does not exist; temporary files left by a crash are skipped) and a `meta.yaml`
 * that must be a mapping.
 */
import { readdirSync } from "node:fs";
import { MlflowError } from "../errors";
import { loadYaml, type YamlValue } from "../yaml";
import { hasErrorCode, readTextIfExists } from "./atomicFiles";

/** The names in `dir`, sorted; empty when it does not exist. */
export function listNames(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith(".tmp-"))
      .sort();
  } catch (err) {
    if (hasErrorCode(err, "ENOENT")) return [];
    throw err;
  }
}

/** A YAML mapping file, or null when the file does not exist; INTERNAL_ERROR naming it when it is not a mapping. */
export function readYamlMap(path: string): { [key: string]: YamlValue } | null {
  const text = readTextIfExists(path);
  if (text === null) return null;
  const value = loadYaml(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MlflowError(`Malformed metadata file ${path}: not a YAML mapping.`, "INTERNAL_ERROR");
  }
  return value;
}

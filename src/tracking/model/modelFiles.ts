/**
 * Reading files named inside a model folder (`MLmodel` and the paths it names, such as
 * `model_data`): a path must be relative and resolve, symlinks followed, to a file inside
 * the folder; a file that fails to parse is reported by name, never by its content (a
 * parser's message quotes the first bytes it read, which could be any file's secret).
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { MlflowError } from "../errors";
import { loadYaml, type YamlValue } from "../yaml";

/** Largest file read from a model folder as text (JSON or YAML). */
const MAX_TEXT_BYTES = 256 * 1024 * 1024;

function outside(dir: string, name: string): MlflowError {
  return MlflowError.invalidParameterValue(`The model at ${dir} names '${name}', which lies outside the model folder: refusing to read it.`);
}

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}

/**
 * The real path of `name` in model folder `dir`, after checking that it is relative, that
 * it stays inside the folder as written and once symlinks are resolved, and that it is a
 * file. Throws INVALID_PARAMETER_VALUE (outside) or RESOURCE_DOES_NOT_EXIST (missing).
 */
export function modelFilePath(dir: string, name: string): string {
  if (name === "" || name.includes("\0") || isAbsolute(name) || name.includes("\\")) throw outside(dir, name);
  const lexical = join(dir, name);
  if (!inside(join(dir), lexical)) throw outside(dir, name);
  let realDir: string;
  let real: string;
  try {
    realDir = realpathSync(dir);
    real = realpathSync(lexical);
  } catch {
    throw MlflowError.notFound(`The model at ${dir} has no file '${name}'.`);
  }
  if (!inside(realDir, real)) throw outside(dir, name);
  if (!statSync(real).isFile()) throw MlflowError.invalidParameterValue(`The model at ${dir} names '${name}', which is not a file.`);
  return real;
}

/** The text of a model-folder file (see {@link modelFilePath}). */
export function readModelText(dir: string, name: string): string {
  const path = modelFilePath(dir, name);
  if (statSync(path).size > MAX_TEXT_BYTES) throw MlflowError.invalidParameterValue(`The model at ${dir}: '${name}' is larger than ${MAX_TEXT_BYTES} bytes.`);
  return readFileSync(path, "utf8");
}

/** A model-folder file parsed as JSON; a parse failure names the file and the position only. */
export function readModelJson(dir: string, name: string): unknown {
  const text = readModelText(dir, name);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const position = /position (\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
    throw MlflowError.invalidParameterValue(`The model at ${dir}: '${name}' is not valid JSON${position === undefined ? "" : ` (at character ${position})`}.`);
  }
}

/** A model-folder file parsed as YAML; a parse failure names the file only. */
export function readModelYaml(dir: string, name: string): YamlValue {
  const text = readModelText(dir, name);
  try {
    return loadYaml(text);
  } catch (err) {
    const line = /line (\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
    throw MlflowError.invalidParameterValue(`The model at ${dir}: '${name}' is not valid YAML${line === undefined ? "" : ` (near line ${line})`}.`);
  }
}


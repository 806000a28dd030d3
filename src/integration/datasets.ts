/**
 * Frames and CSV files as MLflow datasets (what `mlflow.data.from_pandas` records): a name,
 * a digest of the content, the source (`local` with the file's URI, or `code` with the
 * running program's tags), the column schema as MLflow's `mlflow_colspec` and a profile
 * (`num_rows`, `num_elements`). The digest is ours (MD5 of the column names and types, the
 * first 10,000 rows and the row count, cut to 8 hex digits as MLflow's); MLflow computes
 * its own from pandas' hash, so the two differ for the same data.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import type { Frame } from "../data/frame";
import { resolveOlxCsv } from "../data/olx";
import type { PreparedOlx } from "../preprocess/prepareOlx";
import { readCsv, type ReadCsvOptions } from "../data/readCsv";
import type { Dataset } from "../tracking/entities";
import { pythonJsonDumps } from "../tracking/pythonRepr";
import { currentUser, MLFLOW_TAGS, sourceName } from "../tracking/systemTags";

/** How many rows the digest reads, as MLflow's `compute_pandas_digest`. */
export const DIGEST_MAX_ROWS = 10_000;

/** A dataset and its role in a run (`mlflow.data.context`: "train", "eval", as MLflow's autolog). */
export interface RunDataset {
  readonly dataset: Dataset;
  readonly context: string;
}

/** Options of {@link datasetFromFrame}. */
export interface FrameDatasetOptions {
  /** Default "dataset" (MLflow's default name). */
  readonly name?: string;
  /** Where the rows came from: a path or URI (source type `local`); default: this program (`code`). */
  readonly source?: string;
}

/** The frame's digest: MD5 over column names and types, the first rows' values and the row count, 8 hex digits. */
export function frameDigest(frame: Frame): string {
  const hash = createHash("md5");
  const rows = Math.min(frame.nRows, DIGEST_MAX_ROWS);
  for (const name of frame.columnNames) {
    const column = frame.get(name);
    hash.update(`${name}\0${column instanceof Float64Array ? "double" : "string"}\0`);
    if (column instanceof Float64Array) {
      const values = Float64Array.from(column.subarray(0, rows), (v) => (Number.isNaN(v) ? NaN : v === 0 ? 0 : v));
      hash.update(new Uint8Array(values.buffer));
    } else {
      for (let i = 0; i < rows; i++) {
        const v = column[i] ?? null;
        hash.update(v === null ? "\u0001" : `\u0002${v.length}:${v}`);
      }
    }
  }
  hash.update(`rows:${frame.nRows}`);
  return hash.digest("hex").slice(0, 8);
}

/** The frame's columns as MLflow's dataset schema JSON (a column with missing values is not required). */
export function frameDatasetSchema(frame: Frame): string {
  const columns = frame.columnNames.map((name) => {
    const column = frame.get(name);
    const missing = column instanceof Float64Array ? column.some((v) => Number.isNaN(v)) : column.some((v) => v === null);
    return { type: column instanceof Float64Array ? "double" : "string", name, required: !missing };
  });
  return pythonJsonDumps({ mlflow_colspec: columns });
}

/** A frame as an MLflow dataset. */
export function datasetFromFrame(frame: Frame, options: FrameDatasetOptions = {}): Dataset {
  const source =
    options.source === undefined
      ? { sourceType: "code", source: pythonJsonDumps({ tags: { [MLFLOW_TAGS.user]: currentUser(), [MLFLOW_TAGS.sourceName]: sourceName(), [MLFLOW_TAGS.sourceType]: "LOCAL" } }) }
      : { sourceType: "local", source: pythonJsonDumps({ uri: options.source }) };
  return {
    name: options.name ?? "dataset",
    digest: frameDigest(frame),
    ...source,
    schema: frameDatasetSchema(frame),
    profile: pythonJsonDumps({ num_rows: frame.nRows, num_elements: frame.nRows * frame.columnNames.length }),
  };
}

/** A CSV file as an MLflow dataset (source `local`, the file's absolute path); `readOptions` type its columns. */
export function datasetFromCsv(path: string, options: { name?: string } & ReadCsvOptions = {}): Dataset {
  const { frame } = readCsv(path, options);
  return datasetFromFrame(frame, { name: options.name, source: resolve(path) });
}

/** The OLX training part (context "train") and holdout (context "eval") as datasets of the CSV they were read from. */
export function olxDatasets(data: Pick<PreparedOlx, "frameTrain" | "frameTest">, csv?: string): RunDataset[] {
  const source = resolveOlxCsv(csv).path;
  return [
    { dataset: datasetFromFrame(data.frameTrain, { name: "olx-train", source }), context: "train" },
    { dataset: datasetFromFrame(data.frameTest, { name: "olx-holdout", source }), context: "eval" },
  ];
}

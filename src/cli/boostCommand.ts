import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DataError, ValueError } from "../errors";
import { parseCsv } from "../data/csv";
import { DMatrix, saveModel, train } from "../models/boosting";
import type { Booster, BoosterParams } from "../models/boosting";
import { integerOption, MAX_ROUNDS, printJsonLine, type Command } from "./command";

const USAGE = `usage: mlflow-demo-ts boost --csv FILE --label COLUMN [--params JSON] [--rounds N]
                           [--save PATH] [--xgboost-json PATH] [--predict FILE --out FILE] [--json]

Trains gradient-boosted trees (XGBoost's hist algorithm) on a CSV of numeric columns,
like XGBoost's own command line. Empty fields are missing values.
  --csv FILE           training data, with a header row
  --label COLUMN       the target column; every other column is a feature
  --params JSON        booster parameters with XGBoost's names, e.g. '{"eta":0.1,"max_depth":6}'
  --rounds N           boosting rounds (default 10, at most ${MAX_ROUNDS.toLocaleString("en-US")})
  --save PATH          save the model in this library's JSON format
  --xgboost-json PATH  save the model in XGBoost's JSON format (loadable by xgboost.Booster)
  --predict FILE       CSV with the same feature columns (the label column may be absent)
  --out FILE           where to write the predictions of --predict (one column "prediction")
  --json               print one JSON object as the last line`;

/** A CSV of numbers: header and row-major values (NaN for empty fields). */
interface NumericCsv {
  header: string[];
  rows: number;
  values: Float64Array;
}

/** Reads a CSV whose fields are all numbers or empty, naming file, row and column on errors. */
function readNumericCsv(file: string): NumericCsv {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DataError(`cannot read the file: ${(e as Error).message}`, { file });
  }
  const table = parseCsv(text, file);
  const cols = table.header.length;
  const values = new Float64Array(table.records.length * cols);
  table.records.forEach((rec, r) => {
    if (rec.length !== cols) {
      throw new DataError(`has ${rec.length} fields, the header has ${cols}`, { file, row: table.lines[r] });
    }
    for (let j = 0; j < cols; j++) {
      const s = (rec[j] as string).trim();
      const v = s === "" || s.toLowerCase() === "nan" ? NaN : Number(s);
      if (Number.isNaN(v) && s !== "" && s.toLowerCase() !== "nan") {
        throw new DataError(`"${s}" is not a number`, { file, row: table.lines[r], column: table.header[j] });
      }
      values[r * cols + j] = v;
    }
  });
  return { header: table.header, rows: table.records.length, values };
}

/** Selects the named columns, in order, as a row-major matrix. */
function selectColumns(csv: NumericCsv, names: string[], file: string): Float64Array {
  const index = names.map((n) => {
    const j = csv.header.indexOf(n);
    if (j < 0) throw new DataError(`has no column "${n}" (needed as a feature)`, { file });
    return j;
  });
  const out = new Float64Array(csv.rows * names.length);
  const cols = csv.header.length;
  for (let r = 0; r < csv.rows; r++) {
    for (let k = 0; k < index.length; k++) out[r * names.length + k] = csv.values[r * cols + (index[k] as number)] as number;
  }
  return out;
}

/** The booster's predictions for a CSV with the training features (the label may be absent). */
function predictCsv(booster: Booster, file: string, features: string[]): Float32Array {
  const csv = readNumericCsv(file);
  const X = { rows: csv.rows, cols: features.length, data: selectColumns(csv, features, file) };
  return booster.predict(new DMatrix(X, { featureNames: features }));
}

/**
 * Writes every output or none: each to a temporary file beside it, all renamed into place once
 * all are written, so that a failing step leaves no model without its predictions (or the reverse).
 */
function writeAllOrNone(outputs: ReadonlyArray<readonly [path: string, write: (tmp: string) => void]>): void {
  const temps: string[] = [];
  try {
    for (const [path, write] of outputs) {
      const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
      temps.push(tmp);
      write(tmp);
    }
    outputs.forEach(([path], k) => renameSync(temps[k] as string, path));
  } catch (error) {
    for (const tmp of temps) rmSync(tmp, { force: true });
    throw error;
  }
}

/** `mlflow-demo-ts boost`: train boosted trees from a CSV file. */
export const boostCommand: Command = {
  summary: "train gradient-boosted trees (XGBoost hist semantics) from a CSV file",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    let args;
    try {
      args = parseArgs({
        args: argv,
        options: {
          csv: { type: "string" }, label: { type: "string" }, params: { type: "string" }, rounds: { type: "string" },
          save: { type: "string" }, "xgboost-json": { type: "string" }, predict: { type: "string" }, out: { type: "string" },
          json: { type: "boolean", default: false },
        },
      }).values;
    } catch (e) {
      process.stderr.write(`boost: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (args.csv === undefined || args.label === undefined) {
      process.stderr.write(`boost: --csv and --label are required\n${USAGE}\n`);
      return 2;
    }
    if ((args.predict === undefined) !== (args.out === undefined)) {
      process.stderr.write(`boost: --predict and --out go together\n${USAGE}\n`);
      return 2;
    }
    let params: BoosterParams = {};
    if (args.params !== undefined) {
      try {
        params = JSON.parse(args.params) as BoosterParams;
      } catch (e) {
        throw new ValueError(`--params is not valid JSON: ${(e as Error).message}`);
      }
      if (params === null || typeof params !== "object" || Array.isArray(params)) throw new ValueError("--params must be a JSON object");
    }
    const rounds = integerOption("rounds", args.rounds, 0, MAX_ROUNDS) ?? 10;

    const csv = readNumericCsv(args.csv);
    if (csv.rows === 0) throw new DataError("has a header but no data rows: there is nothing to train on", { file: args.csv });
    const labelIndex = csv.header.indexOf(args.label);
    if (labelIndex < 0) throw new DataError(`has no column "${args.label}" (--label)`, { file: args.csv });
    const features = csv.header.filter((_, j) => j !== labelIndex);
    const label = new Float64Array(csv.rows);
    for (let r = 0; r < csv.rows; r++) {
      const v = csv.values[r * csv.header.length + labelIndex] as number;
      if (Number.isNaN(v)) throw new DataError("the label is missing", { file: args.csv, row: r + 2, column: args.label });
      label[r] = v;
    }
    const X = { rows: csv.rows, cols: features.length, data: selectColumns(csv, features, args.csv) };
    const dtrain = new DMatrix(X, { label, featureNames: features });
    const started = performance.now();
    const booster = train(params, dtrain, { numBoostRound: rounds, evals: [[dtrain, "train"]] });
    const seconds = (performance.now() - started) / 1000;
    const trainLog = booster.evalsResult.train ?? {};
    const final: Record<string, number> = {};
    for (const [metric, values] of Object.entries(trainLog)) final[metric] = values[values.length - 1] as number;
    // Everything is computed before anything is written: a failing step leaves no file behind.
    const predictions = args.predict === undefined ? null : predictCsv(booster, args.predict, features);
    const outputs: Array<readonly [string, (tmp: string) => void]> = [];
    const { save, out } = args;
    const xgboostJson = args["xgboost-json"];
    if (save !== undefined) outputs.push([save, (tmp) => saveModel(booster, tmp, "ours")]);
    if (xgboostJson !== undefined) outputs.push([xgboostJson, (tmp) => saveModel(booster, tmp, "xgboost")]);
    if (predictions !== null && out !== undefined) {
      const text = "prediction\n" + Array.from(predictions, (v) => String(v)).join("\n") + (predictions.length ? "\n" : "");
      outputs.push([out, (tmp) => writeFileSync(tmp, text)]);
    }
    writeAllOrNone(outputs);
    const predicted = predictions === null ? null : predictions.length;
    const summary = {
      rows: csv.rows, features: features.length, rounds: booster.numBoostedRounds(), seconds: +seconds.toFixed(3),
      train: final, saved: args.save ?? null, xgboost_json: args["xgboost-json"] ?? null,
      predictions: predicted === null ? null : { file: args.out, rows: predicted },
    };
    process.stdout.write(`trained ${summary.rounds} rounds on ${summary.rows} rows x ${summary.features} features in ${summary.seconds} s; ` +
      Object.entries(final).map(([k, v]) => `train-${k} ${v.toPrecision(6)}`).join(", ") + "\n");
    if (predicted !== null) process.stdout.write(`wrote ${predicted} predictions to ${args.out}\n`);
    if (args.json) printJsonLine(summary);
    return 0;
  },
};

/**
 * MLflow's scoring protocol (`mlflow models serve`, `mlflow/pyfunc/scoring_server`):
 * `GET /ping` and `/health`, `GET /version`, and `POST /invocations` with a JSON body
 * holding exactly one of `dataframe_split`, `dataframe_records`, `instances` or `inputs`,
 * answered with `{"predictions": [...]}`. The model checks its signature, so bad input
 * gets a 400 naming the column; the logged preprocessor is applied by the model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MlflowError } from "../../tracking/errors";
import type { InputTable, InputValue, ModelSignature } from "../../tracking/model/signature";
import { HttpError, readBody, sendError, sendJson, sendText } from "../httpUtil";
import type { RunningServer } from "../app";
import { MLFLOW_COMPAT_VERSION } from "../app";

/** What the scoring server serves: our loaded model, or one that predicts through onnxruntime (asynchronously). */
export interface ScoringModel {
  readonly signature: ModelSignature | null;
  predict(input: InputTable | ReadonlyArray<Readonly<Record<string, InputValue>>>): ArrayLike<number> | Promise<ArrayLike<number>>;
}

const INPUT_KEYS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

function bad(message: string): MlflowError {
  return new MlflowError(message, "BAD_REQUEST");
}

function isRecord(v: unknown): v is Record<string, InputValue> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function checkValue(v: unknown, where: string): InputValue {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  throw bad(`Invalid value at ${where}: expected a number, string, boolean or null, got ${JSON.stringify(v)}.`);
}

/** Turns one request body into the model's input table (or row records). */
export function parseScoringInput(body: unknown, model: ScoringModel): InputTable | Array<Record<string, InputValue>> {
  if (!isRecord(body)) throw bad("The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}.");
  const present = INPUT_KEYS.filter((k) => k in body);
  if (present.length !== 1) {
    throw bad(
      `The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}. ` +
        `Received dictionary with input fields: [${Object.keys(body).map((k) => `'${k}'`).join(", ")}].`,
    );
  }
  const key = present[0] as (typeof INPUT_KEYS)[number];
  const value = (body as Record<string, unknown>)[key];
  if (key === "dataframe_split") {
    const split = value as { columns?: unknown; data?: unknown };
    if (!isRecord(split) || !Array.isArray(split.columns) || !Array.isArray(split.data)) {
      throw bad("'dataframe_split' must be an object with 'columns' (list of names) and 'data' (list of rows).");
    }
    const columns = split.columns.map(String);
    const data = split.data.map((row: unknown, i: number) => {
      if (!Array.isArray(row) || row.length !== columns.length) throw bad(`Row ${i} of 'dataframe_split' has ${Array.isArray(row) ? row.length : "no"} values; ${columns.length} columns were given.`);
      return row.map((v, j) => checkValue(v, `row ${i}, column '${columns[j]}'`));
    });
    return { columns, data };
  }
  if (!Array.isArray(value)) throw bad(`'${key}' must be a list of rows.`);
  if (value.every(isRecord)) {
    return value.map((row, i) => {
      const out: Record<string, InputValue> = {};
      for (const [k, v] of Object.entries(row)) out[k] = checkValue(v, `row ${i}, column '${k}'`);
      return out;
    });
  }
  if (value.every(Array.isArray)) {
    const names = model.signature?.inputs.map((c) => c.name ?? "") ?? [];
    if (names.length === 0 || names.some((n) => n === "")) throw bad(`'${key}' as lists of values needs a model signature with named inputs; send objects instead.`);
    const data = value.map((row: unknown[], i) => {
      if (row.length !== names.length) throw bad(`Row ${i} of '${key}' has ${row.length} values; the model signature has ${names.length} inputs (${names.join(", ")}).`);
      return row.map((v, j) => checkValue(v, `row ${i}, column '${names[j]}'`));
    });
    return { columns: names, data };
  }
  throw bad(`'${key}' must be a list of objects (one per row) or a list of value lists.`);
}

/** Predicts for one parsed request; model errors become 400s with their message. */
export async function score(model: ScoringModel, body: unknown): Promise<{ predictions: number[] }> {
  const input = parseScoringInput(body, model);
  try {
    return { predictions: Array.from(await model.predict(input)) };
  } catch (err) {
    if (err instanceof MlflowError) throw err;
    throw bad(`Failed to predict: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Starts a scoring server for `model` on `host:port` (port 0: any free port). */
export function startScoringServer(model: ScoringModel, host = "127.0.0.1", port = 5001, maxBodyBytes = 64 * 1024 * 1024): Promise<RunningServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0];
    if ((path === "/ping" || path === "/health") && req.method === "GET") return sendText(res, 200, "\n");
    if (path === "/version" && req.method === "GET") return sendText(res, 200, MLFLOW_COMPAT_VERSION);
    if (path !== "/invocations") throw new HttpError(404, "ENDPOINT_NOT_FOUND", `Not found: ${path}. The scoring server answers GET /ping and POST /invocations.`);
    if (req.method !== "POST") throw new HttpError(405, "BAD_REQUEST", "Use POST for /invocations.", { Allow: "POST" });
    const type = String(req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/json") {
      throw new HttpError(415, "BAD_REQUEST", `This predictor only supports the following content types: Types: ['application/json']. Got '${type}'.`);
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, maxBodyBytes)).toString("utf8"));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw bad("Failed to parse input from JSON: the request body is not valid JSON.");
    }
    sendJson(res, 200, await score(model, body));
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendError(res, err));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const { address, port: bound } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://${address}:${bound}`,
        close: () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); }),
      });
    });
  });
}

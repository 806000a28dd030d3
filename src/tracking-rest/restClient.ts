/**
 * The HTTP side of the REST store (MLflow's `rest_utils.call_endpoint`): JSON requests
 * to `<host>/api/2.0/mlflow/...`, MLflow's auth variables, retries with exponential
 * backoff on 429 and 5xx (and on refused or reset connections), and MLflow's error
 * bodies `{"error_code", "message"}` turned into typed {@link MlflowRestError}s.
 */
import { Readable } from "node:stream";
import { MlflowError, type MlflowErrorCode } from "../tracking/errors";

/** A request body read from a stream of known length (a file), so it is never held in memory whole. */
export interface StreamedBody {
  /** Opens the stream from its start (called once per attempt). */
  open(): Readable;
  /** Its length in bytes, sent as Content-Length. */
  readonly length: number;
}

const KNOWN_CODES: ReadonlySet<string> = new Set([
  "INVALID_PARAMETER_VALUE",
  "RESOURCE_DOES_NOT_EXIST",
  "RESOURCE_ALREADY_EXISTS",
  "INVALID_STATE",
  "BAD_REQUEST",
  "INTERNAL_ERROR",
]);

/** An error answered by an MLflow server: MLflow's code, the server's code as sent, and the HTTP status. */
export class MlflowRestError extends MlflowError {
  override name = "MlflowRestError";
  /** The `error_code` exactly as the server sent it (e.g. `PERMISSION_DENIED`, `ENDPOINT_NOT_FOUND`). */
  readonly remoteErrorCode: string;
  /** The HTTP status of the response. */
  readonly status: number;

  constructor(message: string, remoteErrorCode: string, status: number) {
    const code: MlflowErrorCode = KNOWN_CODES.has(remoteErrorCode)
      ? (remoteErrorCode as MlflowErrorCode)
      : status === 404
        ? "RESOURCE_DOES_NOT_EXIST"
        : status >= 500
          ? "INTERNAL_ERROR"
          : "BAD_REQUEST";
    super(message, code);
    this.remoteErrorCode = remoteErrorCode;
    this.status = status;
  }
}

/** Credentials and retry policy of a {@link RestClient}. */
export interface RestClientOptions {
  /** Basic auth (default: `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`). */
  readonly username?: string;
  readonly password?: string;
  /** Bearer token (default: `MLFLOW_TRACKING_TOKEN`); used when no username is set. */
  readonly token?: string;
  /** Retries after the first attempt (default `MLFLOW_HTTP_REQUEST_MAX_RETRIES` or 5). */
  readonly maxRetries?: number;
  /** First backoff in ms, doubled on each retry (default `MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR` seconds x 1000, or 200 ms). */
  readonly backoffMs?: number;
  /** Longest backoff between attempts, ms (default 10 s). */
  readonly maxBackoffMs?: number;
  /** Per-request timeout, ms (default `MLFLOW_HTTP_REQUEST_TIMEOUT` seconds x 1000, or 120 s). */
  readonly timeoutMs?: number;
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True for failures worth another attempt: no response at all (refused, reset, timeout). */
function isTransientNetworkError(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (err as { code?: unknown }).code;
  return ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"].includes(String(code));
}

/** A query string value: repeated for arrays (MLflow reads `experiment_ids=1&experiment_ids=2`). */
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

/** Sends requests to one MLflow server. */
export class RestClient {
  /** Server root without trailing slash, e.g. `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  private readonly authHeader: string | null;
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: RestClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    const username = options.username ?? process.env.MLFLOW_TRACKING_USERNAME;
    const password = options.password ?? process.env.MLFLOW_TRACKING_PASSWORD ?? "";
    const token = options.token ?? process.env.MLFLOW_TRACKING_TOKEN;
    this.authHeader =
      username !== undefined && username !== ""
        ? "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64")
        : token !== undefined && token !== ""
          ? `Bearer ${token}`
          : null;
    this.maxRetries = options.maxRetries ?? envNumber("MLFLOW_HTTP_REQUEST_MAX_RETRIES") ?? 5;
    const factor = envNumber("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR");
    this.backoffMs = options.backoffMs ?? (factor !== undefined ? factor * 1000 : 200);
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    const timeout = envNumber("MLFLOW_HTTP_REQUEST_TIMEOUT");
    this.timeoutMs = options.timeoutMs ?? (timeout !== undefined ? timeout * 1000 : 120_000);
  }

  /** Headers every request carries (auth, user agent). */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { "User-Agent": "mlflow-demo-ts", ...extra };
    if (this.authHeader !== null) h.Authorization = this.authHeader;
    return h;
  }

  /** Builds `<base><path>?query`. */
  url(path: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) params.append(k, item);
      else params.append(k, String(v));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs === "" ? "" : "?" + qs}`;
  }

  /**
   * Sends one request with retries; resolves to the response on 2xx, throws an
   * {@link MlflowRestError} built from the error body otherwise.
   */
  async send(method: string, url: string, body?: string | Buffer | StreamedBody, contentType = "application/json"): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let response: Response | null = null;
      let networkError: unknown = null;
      try {
        const streamed = body !== undefined && typeof body !== "string" && !Buffer.isBuffer(body);
        const headers = this.headers(body === undefined ? {} : { "Content-Type": contentType });
        // A streamed body is opened again for every attempt: a retry cannot replay a consumed stream.
        response = await fetch(url, {
          method,
          headers: streamed ? { ...headers, "Content-Length": String(body.length) } : headers,
          body: streamed ? (Readable.toWeb(body.open()) as ReadableStream<Uint8Array>) : body,
          signal: AbortSignal.timeout(this.timeoutMs),
          ...(streamed ? { duplex: "half" } : {}),
        } as RequestInit);
      } catch (err) {
        if (!isTransientNetworkError(err)) throw new MlflowError(`API request to ${url} failed: ${(err as Error).message}`, "INTERNAL_ERROR");
        networkError = err;
      }
      const retryable = response === null || response.status === 429 || response.status >= 500;
      if (response !== null && response.ok) return response;
      if (retryable && attempt < this.maxRetries) {
        if (response !== null) await response.arrayBuffer().catch(() => undefined);
        const delay = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        await sleep(delay);
        continue;
      }
      if (response === null) {
        throw new MlflowError(`API request to ${url} failed after ${attempt + 1} attempts: ${(networkError as Error).message}`, "INTERNAL_ERROR");
      }
      throw await errorOf(response, url);
    }
  }

  /** Calls a JSON endpoint: GET/DELETE send `query`, others send `body` as JSON. Resolves to the parsed JSON body. */
  async callJson(method: string, path: string, payload: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const isQuery = method === "GET";
    const url = isQuery ? this.url(path, payload as Record<string, QueryValue>) : this.url(path);
    const response = await this.send(method, url, isQuery ? undefined : JSON.stringify(payload));
    const text = await response.text();
    if (text.trim() === "") return {};
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new MlflowError(`API request to ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, "INTERNAL_ERROR");
    }
  }
}

async function errorOf(response: Response, url: string): Promise<MlflowRestError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.error_code === "string") {
      return new MlflowRestError(String(body.message ?? body.error_code), body.error_code, response.status);
    }
  } catch {
    // not JSON: fall through to a generic message
  }
  return new MlflowRestError(
    `API request to endpoint ${new URL(url).pathname} failed with error code ${response.status} != 200. Response body: '${text.slice(0, 500)}'`,
    response.status === 401 ? "UNAUTHENTICATED" : response.status === 403 ? "PERMISSION_DENIED" : response.status === 404 ? "ENDPOINT_NOT_FOUND" : "INTERNAL_ERROR",
    response.status,
  );
}

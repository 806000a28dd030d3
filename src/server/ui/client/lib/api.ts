/**
 * The UI's only way to the server: MLflow's REST API 2.0 under `/ajax-api/2.0/mlflow/`
 * (the prefix MLflow's own UI calls), the artifact routes `get-artifact` and
 * `model-versions/get-artifact`, and nothing else, so it works on every backend.
 */

/** A key/value pair as MLflow's JSON writes params and tags. */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** A metric as MLflow's JSON writes it. */
export interface MetricJson {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

/** `run.info`. */
export interface RunInfoJson {
  readonly run_id: string;
  readonly run_name?: string;
  readonly experiment_id: string;
  readonly user_id?: string;
  readonly status: string;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly artifact_uri?: string;
  readonly lifecycle_stage?: string;
}

/** A dataset input (`run.inputs.dataset_inputs`, MLflow 2.4+). */
export interface DatasetInputJson {
  readonly dataset: { readonly name: string; readonly digest?: string; readonly source_type?: string; readonly source?: string; readonly schema?: string; readonly profile?: string };
  readonly tags?: readonly KeyValue[];
}

/** A run as `runs/get` and `runs/search` answer. */
export interface RunJson {
  readonly info: RunInfoJson;
  readonly data: { readonly metrics?: readonly MetricJson[]; readonly params?: readonly KeyValue[]; readonly tags?: readonly KeyValue[] };
  readonly inputs?: { readonly dataset_inputs?: readonly DatasetInputJson[] };
  readonly outputs?: { readonly model_outputs?: ReadonlyArray<{ readonly model_id: string; readonly step?: number }> };
}

/** An experiment. */
export interface ExperimentJson {
  readonly experiment_id: string;
  readonly name: string;
  readonly artifact_location?: string;
  readonly lifecycle_stage?: string;
  readonly creation_time?: number;
  readonly last_update_time?: number;
  readonly tags?: readonly KeyValue[];
}

/** A model version. */
export interface ModelVersionJson {
  readonly name: string;
  readonly version: string;
  readonly creation_timestamp?: number;
  readonly last_updated_timestamp?: number;
  readonly user_id?: string;
  readonly current_stage?: string;
  readonly description?: string;
  readonly source?: string;
  readonly run_id?: string;
  readonly status?: string;
  readonly run_link?: string;
  readonly tags?: readonly KeyValue[];
  readonly aliases?: readonly string[];
}

/** A registered model. */
export interface RegisteredModelJson {
  readonly name: string;
  readonly creation_timestamp?: number;
  readonly last_updated_timestamp?: number;
  readonly description?: string;
  readonly latest_versions?: readonly ModelVersionJson[];
  readonly tags?: readonly KeyValue[];
  readonly aliases?: ReadonlyArray<{ readonly alias: string; readonly version: string }>;
}

/** A file or folder in a run's artifacts. */
export interface FileInfoJson {
  readonly path: string;
  readonly is_dir?: boolean;
  readonly file_size?: number | string;
}

/** An MLflow 3 logged model (`logged-models/search`), read when the server has them. */
export interface LoggedModelJson {
  readonly info: {
    readonly model_id: string;
    readonly name?: string;
    readonly experiment_id?: string;
    readonly source_run_id?: string;
    readonly creation_timestamp_ms?: number;
    readonly status?: string;
    readonly model_type?: string;
    readonly artifact_uri?: string;
    readonly tags?: readonly KeyValue[];
    readonly registrations?: ReadonlyArray<{ readonly name: string; readonly version: string }>;
  };
  readonly data?: { readonly metrics?: readonly MetricJson[]; readonly params?: readonly KeyValue[] };
}

/** An error answered by the server, with MLflow's error code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const PREFIX = "/ajax-api/2.0/mlflow/";

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    throw new ApiError(res.status, "BAD_RESPONSE", `The server answered ${res.status} with a body that is not JSON.`);
  }
  if (!res.ok) throw new ApiError(res.status, String(body.error_code ?? res.status), String(body.message ?? res.statusText));
  return body as T;
}

/** GET `path` with query parameters (arrays repeat the key). */
export async function get<T>(path: string, params: Record<string, string | number | readonly string[] | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, item);
    else q.set(k, String(v));
  }
  return parse<T>(await fetch(`${PREFIX}${path}?${q}`, { headers: { Accept: "application/json" } }));
}

/** POST, PATCH or DELETE `path` with a JSON body. */
export async function send<T>(method: "POST" | "PATCH" | "DELETE", path: string, body: Record<string, unknown>): Promise<T> {
  return parse<T>(await fetch(PREFIX + path, { method, headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) }));
}

/** One page of `runs/search`. */
export interface RunsPage {
  readonly runs: RunJson[];
  readonly nextPageToken: string | null;
}

/** What the runs table asks for. */
export interface RunsQuery {
  readonly experimentIds: readonly string[];
  readonly filter: string;
  readonly orderBy: readonly string[];
  readonly viewType: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
  readonly maxResults: number;
}

/** `runs/search`. */
export async function searchRuns(query: RunsQuery, pageToken: string | null = null): Promise<RunsPage> {
  const r = await send<{ runs?: RunJson[]; next_page_token?: string }>("POST", "runs/search", {
    experiment_ids: query.experimentIds,
    filter: query.filter,
    order_by: query.orderBy,
    run_view_type: query.viewType,
    max_results: query.maxResults,
    ...(pageToken === null ? {} : { page_token: pageToken }),
  });
  return { runs: r.runs ?? [], nextPageToken: r.next_page_token ?? null };
}

/** Every experiment of a view type (all pages). */
export async function searchExperiments(viewType: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL"): Promise<ExperimentJson[]> {
  const out: ExperimentJson[] = [];
  let token: string | undefined;
  do {
    const r = await get<{ experiments?: ExperimentJson[]; next_page_token?: string }>("experiments/search", { view_type: viewType, max_results: 1000, page_token: token });
    out.push(...(r.experiments ?? []));
    token = r.next_page_token;
  } while (token !== undefined && token !== "");
  return out;
}

/** A run's metric history. */
export async function metricHistory(runId: string, key: string): Promise<MetricJson[]> {
  const r = await get<{ metrics?: MetricJson[] }>("metrics/get-history", { run_id: runId, metric_key: key });
  return (r.metrics ?? []).map((m) => ({ ...m, value: Number(m.value), step: Number(m.step ?? 0), timestamp: Number(m.timestamp) }));
}

/** The URL of a run's artifact file (served by the server from the run's artifact location). */
export function artifactUrl(runId: string, path: string): string {
  return `/get-artifact?${new URLSearchParams({ path, run_uuid: runId })}`;
}

/** The URL of a file inside a model version's artifacts. */
export function modelVersionArtifactUrl(name: string, version: string, path: string): string {
  return `/model-versions/get-artifact?${new URLSearchParams({ path, name, version })}`;
}

/** Fetches an artifact's text (at most `limit` bytes are shown by callers). */
export async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) {
    const body = await res.text();
    let message = body;
    try {
      message = String((JSON.parse(body) as { message?: string }).message ?? body);
    } catch {
      // not JSON: the body is the message
    }
    throw new ApiError(res.status, String(res.status), message);
  }
  return res.text();
}

/**
 * One fixed sequence of raw REST requests on MLflow 3's logged-model API (good and bad
 * requests: missing and invalid fields, unknown ids, finalize by enum name and number,
 * tags, search with filter, ordering, paging and datasets, run outputs and inputs, artifact
 * listing, delete, registry versions from a logged model), answered as a transcript of
 * status codes and JSON bodies with ids and clock values replaced, so that the transcripts
 * of two servers compare entry by entry.
 */

/** One request and what the server answered. */
export interface TranscriptEntry {
  readonly step: string;
  readonly status: number;
  readonly body: unknown;
}

const TIME_KEYS = /(_time|timestamp|_timestamp_ms)$/;

/**
 * Replaces ids (logged models, runs, experiments: servers number experiments in the order they
 * are made, and other tests make theirs meanwhile) by numbered placeholders and drops clock
 * values and random run names.
 */
function normalizer(): (value: unknown) => unknown {
  const ids = new Map<string, string>();
  const placeholder = (id: string, kind: string): string => {
    let name = ids.get(id);
    if (name === undefined) {
      name = `<${kind}${[...ids.values()].filter((n) => n.startsWith(`<${kind}`)).length}>`;
      ids.set(id, name);
    }
    return name;
  };
  // Generated names ("bright-owl-123") are random: only their shape is compared.
  const text = (s: string): string =>
    s
      .replace(/m-[0-9a-f]{32}/g, (id) => placeholder(id, "model"))
      .replace(/\b[0-9a-f]{32}\b/g, (id) => placeholder(id, "run"))
      .replace(/^mlflow-artifacts:\/(\d+)(?=\/|$)/, (_, id: string) => `mlflow-artifacts:/${placeholder(`exp:${id}`, "exp")}`)
      .replace(/^[a-z]+-[a-z]+-\d{1,3}$/, "<generated name>");
  const walk = (v: unknown, key = ""): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (TIME_KEYS.test(k) || k === "run_name" || (k === "value" && (v as { key?: unknown }).key === "mlflow.runName")) continue;
        if (k === "experiment_id" && typeof x === "string") out[k] = placeholder(`exp:${x}`, "exp");
        else if (k === "experiment_ids" && Array.isArray(x)) out[k] = x.map((id) => placeholder(`exp:${String(id)}`, "exp"));
        else out[k] = walk(x, k);
      }
      return out;
    }
    if (typeof v === "string") {
      // A page token is base64 of the query; compare what it says.
      if (key === "next_page_token") return walk(JSON.parse(Buffer.from(v, "base64").toString("utf8")));
      return text(v);
    }
    return v;
  };
  return (v) => walk(v);
}

/** Runs the sequence against a server (`http://host:port`) and resolves to its normalised transcript. */
export async function rawRestTranscript(server: string): Promise<TranscriptEntry[]> {
  const entries: TranscriptEntry[] = [];
  const norm = normalizer();
  const call = async (step: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const url = `${server}/api/2.0/mlflow/${path}`;
    const r = await fetch(url, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // kept as text
    }
    entries.push({ step, status: r.status, body: norm(json) });
    return (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  };
  const exp = String((await call("create experiment", "POST", "experiments/create", { name: "raw-rest" })).experiment_id);
  const run = (await call("create run", "POST", "runs/create", { experiment_id: exp, start_time: 1, run_name: "r" })).run as { info: { run_id: string } };
  const runId = run.info.run_id;
  await call("create: no experiment", "POST", "logged-models", {});
  await call("create: unknown experiment", "POST", "logged-models", { experiment_id: "987654" });
  await call("create: bad name", "POST", "logged-models", { experiment_id: exp, name: "a/b" });
  const created = await call("create", "POST", "logged-models", {
    experiment_id: exp,
    name: "raw",
    source_run_id: runId,
    params: [{ key: "p", value: "1" }],
    tags: [{ key: "t", value: "x" }],
  });
  const modelId = (created.model as { info: { model_id: string } }).info.model_id;
  await call("create: generated name", "POST", "logged-models", { experiment_id: exp, model_type: "agent" });
  await call("get: unknown", "GET", "logged-models/m-00000000000000000000000000000000");
  await call("get", "GET", `logged-models/${modelId}`);
  await call("finalize: no model id in body", "PATCH", `logged-models/${modelId}`, { status: "LOGGED_MODEL_READY" });
  await call("finalize: invalid status", "PATCH", `logged-models/${modelId}`, { model_id: modelId, status: "READY" });
  await call("finalize: no status", "PATCH", `logged-models/${modelId}`, { model_id: modelId });
  await call("finalize: failed by number", "PATCH", `logged-models/${modelId}`, { model_id: modelId, status: 3 });
  await call("finalize: ready by name", "PATCH", `logged-models/${modelId}`, { model_id: modelId, status: "LOGGED_MODEL_READY" });
  await call("set tags", "PATCH", `logged-models/${modelId}/tags`, { tags: [{ key: "a", value: "1" }, { key: "t", value: "y" }] });
  await call("set tags: unknown model", "PATCH", "logged-models/m-00000000000000000000000000000000/tags", { tags: [{ key: "a", value: "1" }] });
  await call("delete tag", "DELETE", `logged-models/${modelId}/tags/a`);
  await call("delete tag: missing", "DELETE", `logged-models/${modelId}/tags/zz`);
  await call("get after tags", "GET", `logged-models/${modelId}`);
  await call("outputs: no models", "POST", "runs/outputs", { run_id: runId });
  await call("outputs", "POST", "runs/outputs", { run_id: runId, models: [{ model_id: modelId, step: 3 }] });
  await call("log-inputs", "POST", "runs/log-inputs", {
    run_id: runId,
    datasets: [
      {
        tags: [{ key: "mlflow.data.context", value: "train" }],
        dataset: { name: "d", digest: "abc", source_type: "local", source: '{"uri": "/x.csv"}', schema: '{"mlflow_colspec": []}', profile: '{"num_rows": 1}' },
      },
    ],
  });
  await call("log-inputs: unknown run", "POST", "runs/log-inputs", { run_id: "0123456789abcdef0123456789abcdef", datasets: [] });
  await call("run with outputs and inputs", "GET", `runs/get?run_id=${runId}`);
  const plain = (await call("create plain run", "POST", "runs/create", { experiment_id: exp, start_time: 1, run_name: "p" })).run as { info: { run_id: string } };
  await call("run without outputs", "GET", `runs/get?run_id=${plain.info.run_id}`);
  await call("search: no experiments", "POST", "logged-models/search", {});
  await call("search: bad entity", "POST", "logged-models/search", { experiment_ids: [exp], filter: "foo.bar = 1" });
  await call("search: bad operator", "POST", "logged-models/search", { experiment_ids: [exp], filter: "metrics.m LIKE '1'" });
  await call("search: other experiment", "POST", "logged-models/search", { experiment_ids: ["424242"] });
  await call("search: by name", "POST", "logged-models/search", { experiment_ids: [exp], filter: "name = 'raw'" });
  await call("search: by tag", "POST", "logged-models/search", { experiment_ids: [exp], filter: "tags.t = 'y'" });
  await call("search: by param", "POST", "logged-models/search", { experiment_ids: [exp], filter: "params.p != '2'" });
  await call("search: by type", "POST", "logged-models/search", { experiment_ids: [exp], filter: "model_type = 'agent'" });
  await call("search: page 1", "POST", "logged-models/search", { experiment_ids: [exp], order_by: [{ field_name: "model_type", ascending: true }], max_results: 1 });
  await call("search: bad order", "POST", "logged-models/search", { experiment_ids: [exp], order_by: [{ field_name: "params.p" }] });
  await call("search: dataset with digest, no metrics", "POST", "logged-models/search", { experiment_ids: [exp], datasets: [{ dataset_name: "d", dataset_digest: "abc" }] });
  await call("artifact directories", "GET", `logged-models/${modelId}/artifacts/directories`);
  await call("register: unknown model source", "POST", "model-versions/create", { name: "raw-model", source: "models:/m-00000000000000000000000000000000" });
  await call("registered model", "POST", "registered-models/create", { name: "raw-model" });
  const version = await call("register from the model", "POST", "model-versions/create", { name: "raw-model", source: `models:/${modelId}`, model_id: modelId });
  const number = (version.model_version as { version: string }).version;
  await call("download uri", "GET", `model-versions/get-download-uri?name=raw-model&version=${number}`);
  await call("model lists the version", "GET", `logged-models/${modelId}`);
  await call("delete", "DELETE", `logged-models/${modelId}`);
  await call("get deleted", "GET", `logged-models/${modelId}`);
  await call("delete again", "DELETE", `logged-models/${modelId}`);
  await call("search after delete", "POST", "logged-models/search", { experiment_ids: [exp] });
  return entries;
}

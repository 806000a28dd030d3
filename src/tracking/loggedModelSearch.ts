/**
 * MLflow 3's logged-model search (`search_logged_model_utils.py` and the SQL store's
 * `search_logged_models`, which is what an MLflow 3 server runs): filters over attributes,
 * `metrics.`, `params.` and `tags.` (plural entity names only), metric clauses restricted to
 * datasets, ordering by attributes or a metric's latest value (missing values last), and
 * page tokens that carry the query they belong to.
 */
import { MlflowError } from "./errors";
import type { LoggedModel, Metric, PagedList } from "./entities";
import { compareValue, tokenize, type Comparator, type FilterClause, type Token } from "./search";
import { pythonJsonDumps, type JsonValue } from "./pythonRepr";
import type { LoggedModelDatasetFilter, LoggedModelOrderBy, SearchLoggedModelsOptions } from "./store/loggedModelStore";

/** What a logged-model filter clause names. */
export type LoggedModelEntity = "attributes" | "metrics" | "params" | "tags";

/** One parsed clause of a logged-model filter. */
export interface LoggedModelComparison {
  readonly entity: LoggedModelEntity;
  readonly key: string;
  readonly op: Comparator;
  readonly value: number | string | readonly string[];
}

/** The store's default page size (the REST API's default is 50). */
export const SEARCH_LOGGED_MODELS_DEFAULT_MAX_RESULTS = 100;

const ATTRIBUTE_ALIASES: Readonly<Record<string, string>> = {
  creation_time: "creation_timestamp",
  creation_timestamp_ms: "creation_timestamp",
  last_updated_timestamp_ms: "last_updated_timestamp",
};
const NUMERIC_ATTRIBUTES: ReadonlySet<string> = new Set(["creation_timestamp", "last_updated_timestamp"]);
const ATTRIBUTES: ReadonlySet<string> = new Set([
  "model_id", "experiment_id", "name", "artifact_location", "status", "status_message", "model_type", "source_run_id",
  ...NUMERIC_ATTRIBUTES,
]);
const NUMERIC_OPS: readonly string[] = ["<", "<=", ">", ">=", "=", "!="];
const STRING_OPS: readonly string[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

const invalid = (message: string): MlflowError => MlflowError.invalidParameterValue(message);

function entityOf(identifier: string): { entity: LoggedModelEntity; key: string } {
  const m = /^([a-z]+)\.(.+)$/.exec(identifier);
  if (m === null) {
    const key = identifier.replace(/`/g, "");
    return { entity: "attributes", key: ATTRIBUTE_ALIASES[key] ?? key };
  }
  const entity = m[1] as string;
  if (entity !== "attributes" && entity !== "metrics" && entity !== "params" && entity !== "tags") {
    throw invalid(`Invalid entity type: '${entity}'. Expected one of ['attributes', 'metrics', 'params', 'tags'].`);
  }
  const raw = (m[2] as string).replace(/^[`"]|[`"]$/g, "");
  return { entity, key: entity === "attributes" ? (ATTRIBUTE_ALIASES[raw] ?? raw) : raw };
}

function isNumeric(entity: LoggedModelEntity, key: string): boolean {
  return entity === "metrics" || (entity === "attributes" && NUMERIC_ATTRIBUTES.has(key));
}

/** Parses a logged-model filter: comparisons joined by AND. */
export function parseLoggedModelFilter(filter: string | null | undefined): LoggedModelComparison[] {
  if (filter === null || filter === undefined || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const out: LoggedModelComparison[] = [];
  let i = 0;
  const expectedList = (): MlflowError =>
    invalid(`Invalid filter string: '${filter}'. Expected a list of comparisons separated by 'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').`);
  while (i < tokens.length) {
    const ident = tokens[i] as Token;
    if (ident.kind !== "ident") throw expectedList();
    const { entity, key } = entityOf(ident.text);
    if (entity === "attributes" && !ATTRIBUTES.has(key)) throw invalid(`Invalid logged model search key '${key}'.`);
    let op: string;
    const next = tokens[i + 1];
    if (next?.kind === "word" && next.text === "NOT" && tokens[i + 2]?.text === "IN") {
      op = "NOT IN";
      i += 3;
    } else if (next !== undefined && (next.kind === "op" || (next.kind === "word" && ["LIKE", "ILIKE", "IN"].includes(next.text)))) {
      op = next.text;
      i += 2;
    } else {
      throw invalid(`Invalid comparison: '${ident.text}'. Expected a comparison with 3 tokens.`);
    }
    const numeric = isNumeric(entity, key);
    if (!(numeric ? NUMERIC_OPS : STRING_OPS).includes(op)) {
      throw invalid(`Invalid comparison operator for ${entity}.${key}: '${op}'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN').`);
    }
    const valueToken = tokens[i];
    if (valueToken === undefined) throw invalid(`Invalid comparison: '${ident.text} ${op}'. Expected a comparison with 3 tokens.`);
    i += 1;
    let value: number | string | readonly string[];
    if (numeric) {
      value = Number(valueToken.kind === "string" ? valueToken.text.slice(1, -1) : valueToken.text);
      if (Number.isNaN(value)) throw invalid(`Invalid filter string: '${filter}'. Expected a number after '${ident.text} ${op}'.`);
    } else if (valueToken.kind === "list") {
      value = valueToken.items ?? [];
    } else {
      value = valueToken.kind === "string" ? valueToken.text.slice(1, -1) : valueToken.text;
    }
    out.push({ entity, key, op: op as Comparator, value });
    const sep = tokens[i];
    if (sep === undefined) break;
    if (sep.kind !== "word" || sep.text !== "AND" || tokens[i + 1] === undefined) throw expectedList();
    i += 1;
  }
  return out;
}

/** A logged model's attribute as the filter and ordering see it. */
export function loggedModelAttribute(model: LoggedModel, key: string): string | number | null {
  switch (ATTRIBUTE_ALIASES[key] ?? key) {
    case "model_id": return model.modelId;
    case "experiment_id": return model.experimentId;
    case "name": return model.name;
    case "artifact_location": return model.artifactLocation;
    case "status": return model.status;
    case "status_message": return model.statusMessage;
    case "model_type": return model.modelType;
    case "source_run_id": return model.sourceRunId;
    case "creation_timestamp": return model.creationTimestamp;
    case "last_updated_timestamp": return model.lastUpdatedTimestamp;
    default: return null;
  }
}

function onDataset(metric: Metric, d: LoggedModelDatasetFilter): boolean {
  return metric.datasetName === d.datasetName && (d.datasetDigest === undefined || d.datasetDigest === null || metric.datasetDigest === d.datasetDigest);
}

function matches(model: LoggedModel, c: LoggedModelComparison, datasets: readonly LoggedModelDatasetFilter[]): boolean {
  const clause: FilterClause = { type: "attribute", key: c.key, comparator: c.op, value: c.value };
  switch (c.entity) {
    case "attributes": return compareValue(loggedModelAttribute(model, c.key), clause);
    // As the SQL store: any recorded value of the metric (on one of the datasets, when given) may satisfy it.
    case "metrics":
      return model.metrics.some((m) => m.key === c.key && (datasets.length === 0 || datasets.some((d) => onDataset(m, d))) && compareValue(m.value, clause));
    case "params": return model.params.some((p) => p.key === c.key && compareValue(p.value, clause));
    case "tags": return model.tags.some((t) => t.key === c.key && compareValue(t.value, clause));
  }
}

/** Keeps the models matching every clause; dataset filters without metric clauses keep models with a metric on one of the datasets. */
export function filterLoggedModels(
  models: readonly LoggedModel[],
  filter: string | null | undefined,
  datasets: readonly LoggedModelDatasetFilter[] = [],
): LoggedModel[] {
  const clauses = parseLoggedModelFilter(filter);
  let out = models.filter((m) => clauses.every((c) => matches(m, c, datasets)));
  if (datasets.length > 0 && !clauses.some((c) => c.entity === "metrics")) {
    out = out.filter((m) => m.metrics.some((metric) => datasets.some((d) => onDataset(metric, d))));
  }
  return out;
}

/** Checks one ordering clause as MLflow 3 does; resolves attribute aliases. */
export function validateLoggedModelOrderBy(o: LoggedModelOrderBy): LoggedModelOrderBy {
  const field = o.fieldName;
  if (field.includes(".")) {
    if (!field.startsWith("metrics.")) throw invalid(`Invalid order by field name: ${field}. Only metrics are supported.`);
  } else if (!ATTRIBUTES.has(ATTRIBUTE_ALIASES[field] ?? field)) {
    throw invalid(`Invalid order by field name: ${field}`);
  }
  if (o.datasetDigest && !o.datasetName) throw invalid("`dataset_digest` can only be specified if `dataset_name` is also specified.");
  return o;
}

/** The latest value (by timestamp, then step) of a model's metric, optionally on one dataset. */
function latestMetricValue(model: LoggedModel, o: LoggedModelOrderBy): number | null {
  const key = o.fieldName.slice("metrics.".length);
  let best: Metric | null = null;
  for (const m of model.metrics) {
    if (m.key !== key || (o.datasetName && m.datasetName !== o.datasetName) || (o.datasetDigest && m.datasetDigest !== o.datasetDigest)) continue;
    if (best === null || m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.step > best.step)) best = m;
  }
  return best === null ? null : best.value;
}

/** Orders models: each clause in turn (missing values last), then newest first, then by id. */
export function sortLoggedModels(models: readonly LoggedModel[], orderBy: readonly LoggedModelOrderBy[] = []): LoggedModel[] {
  const clauses = orderBy.map(validateLoggedModelOrderBy);
  const keyed = models.map((model) => ({
    model,
    values: clauses.map((o) => (o.fieldName.startsWith("metrics.") ? latestMetricValue(model, o) : loggedModelAttribute(model, o.fieldName))),
  }));
  const hasCreation = clauses.some((o) => (ATTRIBUTE_ALIASES[o.fieldName] ?? o.fieldName) === "creation_timestamp");
  keyed.sort((a, b) => {
    for (let i = 0; i < clauses.length; i++) {
      const x = a.values[i] ?? null;
      const y = b.values[i] ?? null;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      if (x !== y) return (x < y ? -1 : 1) * ((clauses[i] as LoggedModelOrderBy).ascending === false ? -1 : 1);
    }
    if (!hasCreation && a.model.creationTimestamp !== b.model.creationTimestamp) return b.model.creationTimestamp - a.model.creationTimestamp;
    return a.model.modelId < b.model.modelId ? -1 : a.model.modelId > b.model.modelId ? 1 : 0;
  });
  return keyed.map((k) => k.model);
}

function orderByJson(orderBy: readonly LoggedModelOrderBy[] | null | undefined): JsonValue {
  if (orderBy === null || orderBy === undefined || orderBy.length === 0) return null;
  return orderBy.map((o) => ({
    field_name: o.fieldName,
    ascending: o.ascending ?? true,
    dataset_name: o.datasetName ?? null,
    dataset_digest: o.datasetDigest ?? null,
  }));
}

function queryJson(options: SearchLoggedModelsOptions, offset: number): string {
  return pythonJsonDumps({
    experiment_ids: [...options.experimentIds],
    filter_string: options.filterString || null,
    order_by: orderByJson(options.orderBy),
    offset,
  });
}

/** The page token of MLflow 3: base64 of the query (experiments, filter, ordering) and the offset. */
export function makeLoggedModelsPageToken(options: SearchLoggedModelsOptions, offset: number): string {
  return Buffer.from(queryJson(options, offset), "utf8").toString("base64");
}

/** The offset a page token holds, after checking it was made for this same query. */
export function loggedModelsPageOffset(options: SearchLoggedModelsOptions): number {
  const token = options.pageToken;
  if (token === undefined || token === null || token === "") return 0;
  let parsed: { experiment_ids?: unknown; filter_string?: unknown; order_by?: unknown; offset?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as typeof parsed;
  } catch (err) {
    throw invalid(`Invalid page token: ${token}. ${err instanceof Error ? err.message : String(err)}`);
  }
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(parsed.experiment_ids, [...options.experimentIds])) {
    throw invalid(`Experiment IDs in the page token do not match the requested experiment IDs. Expected: ${JSON.stringify(options.experimentIds)}. Found: ${JSON.stringify(parsed.experiment_ids)}`);
  }
  if (!same(parsed.filter_string || null, options.filterString || null)) {
    throw invalid(`Filter string in the page token does not match the requested filter string. Expected: ${options.filterString}. Found: ${String(parsed.filter_string)}`);
  }
  if (!same(parsed.order_by || null, orderByJson(options.orderBy))) {
    throw invalid("Order by in the page token does not match the requested order by.");
  }
  const offset = Number(parsed.offset ?? 0);
  if (!Number.isSafeInteger(offset) || offset < 0) throw invalid(`Invalid page token: ${token}.`);
  return offset;
}

/** The whole search over already loaded live models: filter, order, one page. */
export function searchLoggedModelList(candidates: readonly LoggedModel[], options: SearchLoggedModelsOptions): PagedList<LoggedModel> {
  const datasets = options.datasets ?? [];
  if (datasets.some((d) => !d.datasetName)) throw invalid("`dataset_name` in the `datasets` clause must be specified.");
  const offset = loggedModelsPageOffset(options);
  const maxResults = options.maxResults || SEARCH_LOGGED_MODELS_DEFAULT_MAX_RESULTS;
  const sorted = sortLoggedModels(filterLoggedModels(candidates, options.filterString, datasets), options.orderBy ?? []);
  const end = offset + maxResults;
  return { items: sorted.slice(offset, end), nextPageToken: end < sorted.length ? makeLoggedModelsPageToken(options, end) : null };
}

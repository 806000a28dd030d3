/**
 * MLflow's search grammar (`mlflow/utils/search_utils.py`): filter strings such as
 * `metrics.rmse < 5 and params.lr = '0.01' and attributes.status != 'FAILED'`,
 * `order_by` clauses such as `metrics.rmse ASC`, and offset page tokens
 * (base64 of `{"offset": N}`). Clauses are joined with AND only, as in MLflow.
 */
import { MlflowError } from "./errors";
import type { Experiment, ModelVersion, PagedList, RegisteredModel, Run } from "./entities";
import { likeToRegExp } from "./likePattern";

export { likeToRegExp } from "./likePattern";

/** What a clause compares: a metric, param, tag or attribute of the searched entity, or one of a run's datasets. */
export type SearchEntityType = "metric" | "parameter" | "tag" | "attribute" | "dataset";

/** A comparator of MLflow's grammar. */
export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

/** One parsed `<type>.<key> <comparator> <value>` clause. */
export interface FilterClause {
  readonly type: SearchEntityType;
  readonly key: string;
  readonly comparator: Comparator;
  /** A number for metrics and numeric attributes, a list for IN, otherwise a string. */
  readonly value: number | string | readonly string[];
}

/** Which attribute keys a search accepts and which of them are numeric. */
export interface SearchAttributes {
  readonly keys: ReadonlySet<string>;
  readonly numeric: ReadonlySet<string>;
  /** Attributes that accept `IN (...)` lists. */
  readonly listValued: ReadonlySet<string>;
}

/** The run attributes MLflow's `search_runs` accepts (with its aliases `created` and `run name`). */
export const RUN_SEARCH_ATTRIBUTES: SearchAttributes = {
  keys: new Set([
    "run_id", "run_name", "status", "artifact_uri", "user_id", "start_time", "end_time",
    "created", "Created", "run name", "Run name", "Run Name",
  ]),
  numeric: new Set(["start_time", "end_time", "created", "Created"]),
  listValued: new Set(["run_id"]),
};

const ENTITY_ALIASES: Record<string, SearchEntityType> = {
  metric: "metric", metrics: "metric",
  parameter: "parameter", parameters: "parameter", param: "parameter", params: "parameter",
  tag: "tag", tags: "tag",
  attribute: "attribute", attributes: "attribute", attr: "attribute", run: "attribute",
  dataset: "dataset", datasets: "dataset",
};

/** The dataset keys a run filter may name (`datasets.context` is the input's `mlflow.data.context` tag). */
const DATASET_KEYS: ReadonlySet<string> = new Set(["name", "digest", "context"]);
/** The input tag holding a dataset's role in a run ("training", "evaluation", ...). */
export const DATASET_CONTEXT_TAG = "mlflow.data.context";

/** A token of MLflow's filter grammar. */
export interface Token {
  readonly kind: "ident" | "string" | "number" | "op" | "word" | "list";
  readonly text: string;
  readonly items?: string[];
}

function invalid(message: string): MlflowError {
  return MlflowError.invalidParameterValue(message);
}

/** Splits a filter string into identifiers, quoted strings, numbers, operators, keywords and `('a', 'b')` lists. */
export function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (quote: string): string => {
    const start = i;
    i++;
    while (i < filter.length && filter[i] !== quote) i++;
    if (i >= filter.length) throw invalid(`Invalid filter '${filter}': unterminated quote starting at position ${start}.`);
    i++;
    return filter.slice(start, i);
  };
  while (i < filter.length) {
    const ch = filter[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      tokens.push({ kind: "string", text: readQuoted("'") });
    } else if (ch === '"') {
      tokens.push({ kind: "string", text: readQuoted('"') });
    } else if (ch === "(") {
      const items: string[] = [];
      i++;
      for (;;) {
        while (i < filter.length && /[\s,]/.test(filter[i] as string)) i++;
        if (filter[i] === ")") {
          i++;
          break;
        }
        if (filter[i] !== "'" && filter[i] !== '"') {
          throw invalid(`Invalid filter '${filter}': a list in parentheses must hold quoted strings, e.g. ('a', 'b').`);
        }
        items.push(readQuoted(filter[i] as string).slice(1, -1));
      }
      tokens.push({ kind: "list", text: "(...)", items });
    } else if (/[<>=!]/.test(ch)) {
      const two = filter.slice(i, i + 2);
      const op = ["<=", ">=", "!=", "<>"].includes(two) ? two : ch;
      if (op === "!") throw invalid(`Invalid filter '${filter}': '!' must be followed by '='.`);
      i += op.length;
      tokens.push({ kind: "op", text: op === "<>" ? "!=" : op });
    } else if (/[-+\d.]/.test(ch) && /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.test(filter.slice(i)) && !/[\w`]/.test(filter[i - 1] ?? " ")) {
      const m = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(filter.slice(i)) as RegExpExecArray;
      i += m[0].length;
      tokens.push({ kind: "number", text: m[0] });
    } else if (/[\w`]/.test(ch)) {
      const start = i;
      while (i < filter.length) {
        const c = filter[i] as string;
        if (c === "`" || (c === '"' && filter[i - 1] === ".")) readQuoted(c);
        else if (/[\w.]/.test(c)) i++;
        else break;
      }
      const text = filter.slice(start, i);
      const upper = text.toUpperCase();
      if (["AND", "OR", "LIKE", "ILIKE", "IN", "NOT"].includes(upper)) tokens.push({ kind: "word", text: upper });
      else tokens.push({ kind: "ident", text });
    } else {
      throw invalid(`Invalid filter '${filter}': unexpected character '${ch}' at position ${i}.`);
    }
  }
  return tokens;
}

function stripQuotes(text: string): string {
  if (text.length >= 2 && ((text.startsWith("'") && text.endsWith("'")) || (text.startsWith('"') && text.endsWith('"')) || (text.startsWith("`") && text.endsWith("`")))) {
    return text.slice(1, -1);
  }
  return text;
}

/** Splits `metrics.rmse` into entity type and key; a bare key is an attribute. */
export function parseIdentifier(identifier: string, attributes: SearchAttributes): { type: SearchEntityType; key: string } {
  const dot = identifier.indexOf(".");
  const rawType = dot < 0 ? "attribute" : stripQuotes(identifier.slice(0, dot));
  const key = stripQuotes(dot < 0 ? identifier : identifier.slice(dot + 1));
  const type = ENTITY_ALIASES[rawType];
  if (type === undefined) {
    throw invalid(`Invalid entity type '${rawType}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`);
  }
  if (type === "dataset" && !DATASET_KEYS.has(key)) {
    throw invalid(`Invalid dataset key '${key}' specified. Valid keys are '{'name', 'digest', 'context'}'`);
  }
  if (type === "attribute" && !attributes.keys.has(key)) {
    throw invalid(`Invalid attribute key '${key}' specified. Valid keys are '${[...attributes.keys].join("', '")}'`);
  }
  return { type, key };
}

const METRIC_COMPARATORS = new Set(["=", "!=", "<", "<=", ">", ">="]);
const STRING_COMPARATORS = new Set(["=", "!=", "LIKE", "ILIKE"]);
const STRING_ATTRIBUTE_COMPARATORS = new Set(["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"]);

/** Parses an MLflow filter string into AND-ed clauses; throws INVALID_PARAMETER_VALUE naming the problem. */
export function parseFilter(filter: string | undefined, attributes: SearchAttributes = RUN_SEARCH_ATTRIBUTES): FilterClause[] {
  if (filter === undefined || filter.trim() === "") return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let i = 0;
  while (i < tokens.length) {
    const ident = tokens[i];
    if (ident === undefined || (ident.kind !== "ident" && ident.kind !== "string")) {
      throw invalid(`Invalid clause(s) in filter string: '${ident?.text ?? ""}'. Expected an identifier such as metrics.rmse.`);
    }
    const { type, key } = parseIdentifier(ident.text, attributes);
    const opToken = tokens[i + 1];
    let comparator: string;
    if (opToken?.kind === "word" && opToken.text === "NOT" && tokens[i + 2]?.text === "IN") {
      comparator = "NOT IN";
      i += 3;
    } else if (opToken !== undefined && (opToken.kind === "op" || (opToken.kind === "word" && opToken.text !== "AND" && opToken.text !== "OR"))) {
      comparator = opToken.text;
      i += 2;
    } else {
      throw invalid(`Invalid comparison clause in filter '${filter}': expected a comparator after '${ident.text}'.`);
    }
    const valueToken = tokens[i];
    if (valueToken === undefined) throw invalid(`Invalid comparison clause in filter '${filter}': missing value after '${comparator}'.`);
    i += 1;
    clauses.push(makeClause(type, key, comparator, valueToken, attributes));
    const next = tokens[i];
    if (next === undefined) break;
    if (next.kind === "word" && next.text === "AND") {
      i += 1;
      if (tokens[i] === undefined) throw invalid(`Invalid filter '${filter}': nothing after AND.`);
      continue;
    }
    if (next.kind === "word" && next.text === "OR") {
      throw invalid(`Invalid clause(s) in filter string: 'OR'. MLflow filters only support AND.`);
    }
    throw invalid(`Invalid clause(s) in filter string: '${next.text}'.`);
  }
  return clauses;
}

function makeClause(
  type: SearchEntityType,
  key: string,
  comparator: string,
  token: Token,
  attributes: SearchAttributes,
): FilterClause {
  const numericAttribute = type === "attribute" && attributes.numeric.has(key);
  if (type === "metric" || numericAttribute) {
    if (!METRIC_COMPARATORS.has(comparator)) {
      throw invalid(`Invalid comparator '${comparator}' not one of '=, !=, <, <=, >, >=' for ${type} '${key}'`);
    }
    if (token.kind !== "number") {
      throw invalid(`Expected numeric value type for ${type === "metric" ? "metric" : `numeric attribute: ${key}`}. Found ${token.text}`);
    }
    return { type, key, comparator: comparator as Comparator, value: Number(token.text) };
  }
  const allowed = type === "attribute" || type === "dataset" ? STRING_ATTRIBUTE_COMPARATORS : STRING_COMPARATORS;
  if (!allowed.has(comparator)) {
    throw invalid(`Invalid comparator '${comparator}' not one of '${[...allowed].join(", ")}' for ${type} '${key}'`);
  }
  if (comparator === "IN" || comparator === "NOT IN") {
    if (token.kind !== "list" || (type !== "dataset" && !attributes.listValued.has(key))) {
      throw invalid(`Only the '${[...attributes.listValued].join("', '")}' attribute supports comparison with a list of quoted string values.`);
    }
    return { type, key, comparator: comparator as Comparator, value: token.items ?? [] };
  }
  if (token.kind !== "string") {
    throw invalid(`Expected a quoted string value for ${type} '${key}' (e.g. 'my-value'). Got value ${token.text}`);
  }
  return { type, key, comparator: comparator as Comparator, value: token.text.slice(1, -1) };
}

/** Compares one value against a clause (Python semantics: a missing value never matches). */
export function compareValue(lhs: string | number | null | undefined, clause: FilterClause): boolean {
  if (lhs === null || lhs === undefined) return false;
  const v = clause.value;
  switch (clause.comparator) {
    case "=": return lhs === v;
    case "!=": return lhs !== v;
    case "<": return (lhs as number) < (v as number);
    case "<=": return (lhs as number) <= (v as number);
    case ">": return (lhs as number) > (v as number);
    case ">=": return (lhs as number) >= (v as number);
    case "LIKE": return likeToRegExp(v as string, false).test(String(lhs));
    case "ILIKE": return likeToRegExp(v as string, true).test(String(lhs));
    case "IN": return (v as readonly string[]).includes(String(lhs));
    case "NOT IN": return !(v as readonly string[]).includes(String(lhs));
  }
}

const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: "start_time", Created: "start_time", "run name": "run_name", "Run name": "run_name", "Run Name": "run_name",
};

/** The run attribute an alias names (`created` is `start_time`, `Run name` is `run_name`); other keys as they are. */
export function canonicalRunAttribute(key: string): string {
  return ATTRIBUTE_ALIASES[key] ?? key;
}

/** The value of `type.key` on a run (latest metric value; null when absent). */
export function runValue(run: Run, type: SearchEntityType, key: string): string | number | null {
  switch (type) {
    case "metric": return run.data.metrics.find((m) => m.key === key)?.value ?? null;
    case "parameter": return run.data.params.find((p) => p.key === key)?.value ?? null;
    case "tag": return run.data.tags.find((t) => t.key === key)?.value ?? null;
    case "dataset": return runDatasetValues(run, key)[0] ?? null;
    case "attribute": {
      const info = run.info;
      switch (canonicalRunAttribute(key)) {
        case "run_id": return info.runId;
        case "run_name": return info.runName;
        case "status": return info.status;
        case "artifact_uri": return info.artifactUri;
        case "user_id": return info.userId;
        case "start_time": return info.startTime;
        case "end_time": return info.endTime;
        case "experiment_id": return info.experimentId;
        case "lifecycle_stage": return info.lifecycleStage;
        default: return null;
      }
    }
  }
}

/** The values `datasets.<key>` takes on a run: one per dataset input (`context` from its input tags). */
export function runDatasetValues(run: Run, key: string): string[] {
  const inputs = run.inputs?.datasetInputs ?? [];
  if (key === "context") return inputs.flatMap((i) => i.tags.filter((t) => t.key === DATASET_CONTEXT_TAG).map((t) => t.value));
  return inputs.map((i) => (key === "name" ? i.dataset.name : i.dataset.digest));
}

/** Keeps the runs matching every clause of `filter`; a dataset clause matches when any of the run's datasets does. */
export function filterRuns(runs: readonly Run[], filter: string | undefined): Run[] {
  const clauses = parseFilter(filter);
  if (clauses.length === 0) return [...runs];
  const matches = (run: Run, c: FilterClause): boolean =>
    c.type === "dataset" ? runDatasetValues(run, c.key).some((v) => compareValue(v, c)) : compareValue(runValue(run, c.type, c.key), c);
  return runs.filter((run) => clauses.every((c) => matches(run, c)));
}

/** One parsed `order_by` clause. */
export interface OrderByClause {
  readonly type: SearchEntityType;
  readonly key: string;
  readonly ascending: boolean;
}

/** The run attributes accepted in `order_by`. */
export const RUN_ORDER_ATTRIBUTES: SearchAttributes = {
  keys: new Set([
    "run_id", "run_name", "status", "artifact_uri", "user_id", "start_time", "end_time",
    "experiment_id", "lifecycle_stage", "created", "Created",
  ]),
  numeric: new Set(["start_time", "end_time", "created", "Created"]),
  listValued: new Set(),
};

function shlexSplit(text: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else current = (current ?? "") + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current = current ?? "";
    } else if (/\s/.test(ch)) {
      if (current !== null) out.push(current);
      current = null;
    } else current = (current ?? "") + ch;
  }
  if (quote !== null) throw invalid(`Invalid order_by clause '${text}'. Could not be parsed (unterminated quote).`);
  if (current !== null) out.push(current);
  return out;
}

/** Parses `metrics.rmse DESC` (default ASC); keys with spaces may be quoted with backticks. */
export function parseOrderBy(clause: string, attributes: SearchAttributes = RUN_ORDER_ATTRIBUTES): OrderByClause {
  const tokens = shlexSplit(clause.replace(/`/g, '"'));
  if (tokens.length === 0 || tokens.length > 2) throw invalid(`Invalid order_by clause '${clause}'. Could not be parsed.`);
  let ascending = true;
  if (tokens.length === 2) {
    const dir = (tokens[1] as string).toLowerCase();
    if (dir !== "asc" && dir !== "desc") throw invalid(`Invalid ordering key in order_by clause '${clause}'.`);
    ascending = dir === "asc";
  }
  const { type, key } = parseIdentifier((tokens[0] as string).trim(), attributes);
  return { type, key, ascending };
}

type SortValue = string | number | null;

/**
 * Orders strings by code point, as MLflow does (Python's `str` order in its file store, the
 * byte order of UTF-8 in SQLite): JavaScript's `<` compares UTF-16 code units, which puts
 * characters above U+FFFF before U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate && (x >= 0xe000 || y >= 0xe000)) return xSurrogate ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** Where a missing value goes, after every present one: NaN first, then no value (MLflow's order). */
function missingRank(v: SortValue): number {
  return v === null ? 2 : typeof v === "number" && Number.isNaN(v) ? 1 : 0;
}

function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  // MLflow keeps missing values last whatever the direction, NaN before None (its SQL store's
  // `CASE WHEN is_nan THEN 1 WHEN value IS NULL THEN 2 ELSE 0`, its file store's sort key).
  const ra = missingRank(a);
  const rb = missingRank(b);
  if (ra !== 0 || rb !== 0) return ra - rb;
  const c = typeof a === "string" && typeof b === "string" ? compareCodePoints(a, b) : (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  return ascending ? c : -c;
}

/**
 * Sorts runs as MLflow does: start time descending then run id, then each `order_by`
 * clause applied from last to first with a stable sort.
 */
export function sortRuns(runs: readonly Run[], orderBy: readonly string[] = []): Run[] {
  let sorted = [...runs].sort((a, b) => b.info.startTime - a.info.startTime || compareCodePoints(a.info.runId, b.info.runId));
  for (const text of [...orderBy].reverse()) {
    const clause = parseOrderBy(text);
    sorted = sorted
      .map((run) => ({ run, value: runValue(run, clause.type, clause.key) }))
      .sort((a, b) => compareSortValues(a.value, b.value, clause.ascending))
      .map((x) => x.run);
  }
  return sorted;
}

/** Reads the start offset from a page token (base64 of `{"offset": N}`); 0 without a token. */
export function parsePageToken(pageToken: string | null | undefined): number {
  if (pageToken === undefined || pageToken === null || pageToken === "") return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(pageToken, "base64").toString("utf8"));
  } catch {
    throw invalid(`Invalid page token '${pageToken}': could not decode it.`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== "number" || !Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(`Invalid page token '${pageToken}': no valid offset in it.`);
  }
  return offset;
}

/** Makes the page token for a start offset, exactly as MLflow does. */
export function makePageToken(offset: number): string {
  return Buffer.from(`{"offset": ${offset}}`, "utf8").toString("base64");
}

/** Cuts one page out of `items` (MLflow's `SearchUtils.paginate`). */
export function paginate<T>(items: readonly T[], pageToken: string | null | undefined, maxResults: number): PagedList<T> {
  const start = parsePageToken(pageToken);
  const end = start + maxResults;
  return { items: items.slice(start, end), nextPageToken: end < items.length ? makePageToken(end) : null };
}

/** Checks `maxResults` against MLflow's limit (50,000 for runs). */
export function validateMaxResults(maxResults: number, limit = 50_000): void {
  if (!Number.isSafeInteger(maxResults) || maxResults <= 0 || maxResults > limit) {
    throw invalid(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer at most ${limit}.`);
  }
}

/** The attributes an experiment filter or order clause may name. */
export const EXPERIMENT_ATTRIBUTES: SearchAttributes = {
  keys: new Set(["name", "creation_time", "last_update_time", "experiment_id"]),
  numeric: new Set(["creation_time", "last_update_time"]),
  listValued: new Set(),
};

function experimentValue(e: Experiment, type: string, key: string): string | number | null {
  if (type === "tag") return e.tags.find((t) => t.key === key)?.value ?? null;
  if (key === "name") return e.name;
  if (key === "experiment_id") return e.experimentId;
  if (key === "creation_time") return e.creationTime;
  if (key === "last_update_time") return e.lastUpdateTime;
  return null;
}

/** What {@link searchExperimentList} needs of `searchExperiments`' options. */
export interface ExperimentListQuery {
  readonly filterString?: string;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number;
  readonly pageToken?: string | null;
}

/**
 * MLflow's experiment search over candidates already narrowed to a view type: filter on
 * attributes and tags, newest first (ties broken by `tieBreak`), then each order-by clause
 * (missing values last), then one page.
 */
export function searchExperimentList(
  candidates: readonly Experiment[],
  query: ExperimentListQuery,
  tieBreak: (a: Experiment, b: Experiment) => number,
): PagedList<Experiment> {
  const maxResults = query.maxResults ?? 1000;
  validateMaxResults(maxResults, 50_000);
  const clauses = parseFilter(query.filterString, EXPERIMENT_ATTRIBUTES);
  for (const c of clauses) {
    if (c.type !== "attribute" && c.type !== "tag") {
      throw MlflowError.invalidParameterValue(`Invalid entity type '${c.type}' in an experiment filter: use attributes (name, creation_time, last_update_time) or tags.`);
    }
  }
  let experiments = candidates.filter((e) => clauses.every((c) => compareValue(experimentValue(e, c.type, c.key), c)));
  experiments.sort((a, b) => (b.creationTime ?? 0) - (a.creationTime ?? 0) || tieBreak(a, b));
  for (const text of [...(query.orderBy ?? [])].reverse()) {
    const o = parseOrderBy(text, EXPERIMENT_ATTRIBUTES);
    experiments = experiments
      .map((e) => ({ e, v: experimentValue(e, o.type, o.key) }))
      .sort((a, b) => {
        if (a.v === null || b.v === null) return a.v === b.v ? 0 : a.v === null ? 1 : -1;
        const c = a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
        return o.ascending ? c : -c;
      })
      .map((x) => x.e);
  }
  return paginate(experiments, query.pageToken, maxResults);
}

/** The attributes a registered-model filter or order clause may name. */
export const MODEL_ATTRIBUTES: SearchAttributes = {
  keys: new Set(["name", "timestamp", "last_updated_timestamp", "creation_timestamp"]),
  numeric: new Set(["timestamp", "last_updated_timestamp", "creation_timestamp"]),
  listValued: new Set(),
};

/** The attributes a model-version filter or order clause may name. */
export const VERSION_ATTRIBUTES: SearchAttributes = {
  keys: new Set(["name", "run_id", "source_path", "version_number", "current_stage", "timestamp", "last_updated_timestamp", "creation_timestamp"]),
  numeric: new Set(["version_number", "timestamp", "last_updated_timestamp", "creation_timestamp"]),
  listValued: new Set(["run_id"]),
};

/** The value a registered-model filter or order clause compares. */
export function registeredModelValue(m: RegisteredModel, type: string, key: string): string | number | null {
  if (type === "tag") return m.tags.find((t) => t.key === key)?.value ?? null;
  if (key === "name") return m.name;
  if (key === "last_updated_timestamp") return m.lastUpdatedTimestamp;
  return m.creationTimestamp;
}

/** The value a model-version filter or order clause compares. */
export function modelVersionValue(v: ModelVersion, type: string, key: string): string | number | null {
  if (type === "tag") return v.tags.find((t) => t.key === key)?.value ?? null;
  switch (key) {
    case "name": return v.name;
    case "run_id": return v.runId;
    case "source_path": return v.source;
    case "version_number": return Number(v.version);
    case "current_stage": return v.currentStage;
    case "last_updated_timestamp": return v.lastUpdatedTimestamp;
    default: return v.creationTimestamp;
  }
}

/**
 * The deliberate differences from MLflow 2.17.2, each found by the compatibility suite and
 * explained in docs/decisions.md under its id (a test checks that every id is there). A
 * difference not covered here fails the suite.
 */
import type { Difference } from "./compare";

/** One documented difference: which calls, which fields (or a rewrite of both answers). */
export interface CompatException {
  /** The id used in docs/decisions.md. */
  readonly id: string;
  /** Why we differ, in one line. */
  readonly reason: string;
  /** The calls it may explain (by name). */
  readonly calls: RegExp;
  /** The differing leaf paths it explains. */
  readonly paths?: RegExp;
  /** A further check on the differing values. */
  readonly values?: (d: Difference) => boolean;
  /** A rewrite applied to both answers before comparing (e.g. ordering). */
  readonly rewrite?: (value: unknown) => unknown;
}

/** Sorts every list of `{key, ...}` objects by key, everywhere in a value. */
function sortKeyedLists(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(sortKeyedLists);
    const keyed = items.length > 0 && items.every((x) => x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as { key?: unknown }).key === "string");
    return keyed ? [...items].sort((a, b) => ((a as { key: string }).key < (b as { key: string }).key ? -1 : (a as { key: string }).key > (b as { key: string }).key ? 1 : 0)) : items;
  }
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sortKeyedLists(v)]));
  return value;
}

/** Every documented difference. */
export const COMPAT_EXCEPTIONS: readonly CompatException[] = [
  {
    id: "COMPAT-ORDER-OF-KEYED-LISTS",
    reason: "tags, params and latest metrics come sorted by key; MLflow returns database row order (insertion order on SQLite, heap order on PostgreSQL)",
    calls: /.*/,
    rewrite: sortKeyedLists,
  },
  {
    id: "COMPAT-DEEP-JSON",
    reason: "a request nesting JSON deeper than 100 levels gets 400 INVALID_PARAMETER_VALUE as JSON; MLflow's server fails with a 500 HTML page (RecursionError)",
    calls: /^REST deeply nested JSON$/,
    paths: /^\.result\.(status|body\.(error_code|not_json))$/,
  },
  {
    id: "COMPAT-DOWNLOAD-CONTENT-TYPE",
    reason: "artifact downloads are application/octet-stream (attachment, nosniff) whatever the name; MLflow guesses a type from the extension",
    calls: /^REST proxy get /,
    paths: /^\.result\.body\.not_json$/,
    values: (d) => d.actual === JSON.stringify("application/octet-stream"),
  },
  {
    id: "COMPAT-ALIAS-OF-DELETED-VERSION",
    reason: "deleting a model version deletes its aliases; MLflow 2.17 means to but compares the alias's int version with the request's string and keeps a dangling alias",
    calls: /^(get_registered_model renamed|search_registered_models page by page)$/,
    paths: /\.aliases(\[\d+\]\.(alias|version)|\.length)?$/,
  },
  {
    id: "COMPAT-NON-ASCII-DOWNLOAD",
    reason: "MLflow's server (gunicorn) drops the connection when it downloads a file whose name is not Latin-1 (the raw name goes into Content-Disposition); ours sends it",
    calls: /^downloadArtifacts$/,
    paths: /^\.(error|result)$/,
    values: (d) => d.path !== ".error" || d.expected === JSON.stringify("INTERNAL_ERROR"),
  },
];

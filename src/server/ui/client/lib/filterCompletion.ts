/**
 * Key completion for MLflow filter strings (`metrics.rmse < 5 and params.model = 'Ridge'`):
 * the identifier being typed at the cursor and the keys that complete it. Keys that are
 * not plain identifiers are back-quoted, as MLflow's parser expects.
 */

/** The identifier being typed: where it starts and what it holds so far. */
export interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The identifier at `cursor`, or null when the cursor is inside a quoted value or after an operator. */
export function tokenAt(input: string, cursor: number): Token | null {
  let quote: string | null = null;
  for (let i = 0; i < cursor; i++) {
    const c = input[i] as string;
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
  }
  if (quote !== null) return null;
  let start = cursor;
  while (start > 0 && /[\w.`\-/ ]/.test(input[start - 1] as string)) {
    if (input[start - 1] === " " && !/`[^`]*$/.test(input.slice(0, start - 1))) break;
    start--;
  }
  const text = input.slice(start, cursor);
  const before = input.slice(0, start).trimEnd();
  // An identifier comes first or after AND; after a comparator comes a value.
  if (before !== "" && !/\band$/i.test(before)) return null;
  if (text.toLowerCase() === "and") return null;
  return { start, end: cursor, text };
}

/** `metrics.rmse`, or `` metrics.`test rmse` `` when the key needs quoting. */
export function identifier(prefix: "metrics" | "params" | "tags" | "attributes", key: string): string {
  return /^[A-Za-z_][\w.]*$/.test(key) ? `${prefix}.${key}` : `${prefix}.\`${key}\``;
}

/** The run attributes MLflow's search accepts. */
export const SEARCH_ATTRIBUTES = ["run_name", "status", "start_time", "end_time", "user_id", "run_id", "artifact_uri"];

/** Completions of `token` among the known keys (at most `limit`). */
export function completions(token: Token, keys: { metrics: readonly string[]; params: readonly string[]; tags: readonly string[] }, limit = 12): string[] {
  const all = [
    ...keys.metrics.map((k) => identifier("metrics", k)),
    ...keys.params.map((k) => identifier("params", k)),
    ...keys.tags.map((k) => identifier("tags", k)),
    ...SEARCH_ATTRIBUTES.map((k) => identifier("attributes", k)),
  ];
  const typed = token.text.replace(/`/g, "").toLowerCase();
  const matches = all.filter((s) => {
    const plain = s.replace(/`/g, "").toLowerCase();
    return plain.startsWith(typed) || (typed !== "" && !typed.includes(".") && plain.split(".").slice(1).join(".").startsWith(typed));
  });
  return matches.filter((s) => s !== token.text).slice(0, limit);
}

/** The input with the token replaced by a completion, and the new cursor position. */
export function applyCompletion(input: string, token: Token, completion: string): { value: string; cursor: number } {
  const value = input.slice(0, token.start) + completion + " " + input.slice(token.end).replace(/^ /, "");
  return { value, cursor: token.start + completion.length + 1 };
}

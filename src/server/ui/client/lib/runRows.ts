/**
 * The runs table's rows, from `runs/search` answers: each run's values by column, its
 * status as shown (an Optuna trial's PRUNED or FAIL state from its tags), and the display
 * order: child runs under their parent (`mlflow.parentRunId`), or runs grouped by a param
 * or tag value. Pure functions, so they are tested without a browser.
 */
import type { RunJson } from "./api";

/** A column of the runs table: an attribute, or a metric, param or tag key. */
export interface ColumnKey {
  readonly type: "attribute" | "metric" | "param" | "tag";
  readonly key: string;
}

/** The attribute columns, in MLflow's order. */
export const ATTRIBUTE_COLUMNS = ["Run Name", "Created", "Duration", "User", "Source", "Status", "Models", "Datasets"] as const;

/** The column id AG Grid uses (`metrics.rmse`, `params.eta`, `tags.x`, `attributes.Run Name`). */
export function columnId(c: ColumnKey): string {
  return `${c.type === "attribute" ? "attributes" : c.type + "s"}.${c.key}`;
}

/** The `order_by` clause MLflow's search takes for a column, or null when it cannot sort by it. */
export function orderByOf(c: ColumnKey, ascending: boolean): string | null {
  const dir = ascending ? "ASC" : "DESC";
  if (c.type === "attribute") {
    const attr = { "Run Name": "run_name", Created: "start_time", User: "user_id", Status: "status" }[c.key as string];
    return attr === undefined ? null : `attributes.${attr} ${dir}`;
  }
  return `${c.type}s.\`${c.key}\` ${dir}`;
}

/** One run, flattened for the table. */
export interface RunRow {
  readonly runId: string;
  readonly run: RunJson;
  readonly name: string;
  readonly parentId: string | null;
  /** Status as shown: the run's, or an Optuna trial's PRUNED / FAIL state. */
  readonly status: string;
  readonly metrics: ReadonlyMap<string, number>;
  readonly params: ReadonlyMap<string, string>;
  readonly tags: ReadonlyMap<string, string>;
  readonly durationMs: number | null;
  readonly models: readonly string[];
  readonly datasets: readonly string[];
}

/** True for runs logged by Optuna's MLflow callback (tags `number`, `direction`, `state`). */
export function isOptunaTrial(tags: ReadonlyMap<string, string>): boolean {
  return tags.has("number") && tags.has("direction") && tags.has("datetime_start");
}

/** The run's status as the UI shows it. */
export function shownStatus(run: RunJson, tags: ReadonlyMap<string, string>): string {
  const state = tags.get("state");
  if (isOptunaTrial(tags) && (state === "PRUNED" || state === "FAIL")) return state;
  return run.info.status;
}

/** The flavors of the models a run logged (`mlflow.log-model.history`) and its MLflow 3 model outputs. */
export function modelsOf(run: RunJson, tags: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const history = tags.get("mlflow.log-model.history");
  if (history !== undefined) {
    try {
      for (const m of JSON.parse(history) as Array<{ artifact_path?: string; flavors?: Record<string, unknown> }>) {
        const flavor = Object.keys(m.flavors ?? {}).find((f) => f !== "python_function") ?? "model";
        out.push(`${m.artifact_path ?? "model"} (${flavor})`);
      }
    } catch {
      out.push("model");
    }
  }
  for (const o of run.outputs?.model_outputs ?? []) out.push(o.model_id);
  return out;
}

/** A run as a row. */
export function toRow(run: RunJson): RunRow {
  const tags = new Map((run.data.tags ?? []).map((t) => [t.key, t.value]));
  const start = run.info.start_time === undefined ? null : Number(run.info.start_time);
  const end = run.info.end_time === undefined || run.info.end_time === null ? null : Number(run.info.end_time);
  return {
    runId: run.info.run_id,
    run,
    name: run.info.run_name || tags.get("mlflow.runName") || run.info.run_id,
    parentId: tags.get("mlflow.parentRunId") ?? null,
    status: shownStatus(run, tags),
    metrics: new Map((run.data.metrics ?? []).map((m) => [m.key, Number(m.value)])),
    params: new Map((run.data.params ?? []).map((p) => [p.key, p.value])),
    tags,
    durationMs: start !== null && end !== null ? end - start : null,
    models: modelsOf(run, tags),
    datasets: (run.inputs?.dataset_inputs ?? []).map((d) => d.dataset.name + (d.dataset.digest ? ` (${d.dataset.digest})` : "")),
  };
}

/** The value of a cell (numbers stay numbers). */
export function cellValue(row: RunRow, c: ColumnKey): string | number | null {
  switch (c.type) {
    case "metric":
      return row.metrics.get(c.key) ?? null;
    case "param":
      return row.params.get(c.key) ?? null;
    case "tag":
      return row.tags.get(c.key) ?? null;
    case "attribute":
      switch (c.key) {
        case "Run Name":
          return row.name;
        case "Created":
          return row.run.info.start_time === undefined ? null : Number(row.run.info.start_time);
        case "Duration":
          return row.durationMs;
        case "User":
          return row.run.info.user_id ?? row.tags.get("mlflow.user") ?? null;
        case "Source":
          return row.tags.get("mlflow.source.name") ?? null;
        case "Status":
          return row.status;
        case "Models":
          return row.models.join(", ");
        case "Datasets":
          return row.datasets.join(", ");
      }
  }
  return null;
}

/** Every metric, param and tag key of the rows (tags without MLflow's own `mlflow.*`). */
export function keysOf(rows: readonly RunRow[]): { metrics: string[]; params: string[]; tags: string[] } {
  const m = new Set<string>();
  const p = new Set<string>();
  const t = new Set<string>();
  for (const r of rows) {
    for (const k of r.metrics.keys()) m.add(k);
    for (const k of r.params.keys()) p.add(k);
    for (const k of r.tags.keys()) if (!k.startsWith("mlflow.")) t.add(k);
  }
  const sort = (s: Set<string>): string[] => [...s].sort((a, b) => a.localeCompare(b));
  return { metrics: sort(m), params: sort(p), tags: sort(t) };
}

/**
 * The key metric shown first: the one the user pinned, else an Optuna study's objective
 * (`value` on trial runs), else none.
 */
export function keyMetric(rows: readonly RunRow[], pinned: string | null): string | null {
  if (pinned !== null) return pinned;
  if (rows.some((r) => isOptunaTrial(r.tags) && r.metrics.has("value"))) return "value";
  return null;
}

/** A line of the table as displayed: a run (maybe a child, indented) or a group header. */
export type DisplayRow =
  | { readonly kind: "run"; readonly id: string; readonly row: RunRow; readonly depth: number; readonly childCount: number; readonly expanded: boolean }
  | { readonly kind: "group"; readonly id: string; readonly label: string; readonly count: number; readonly expanded: boolean; readonly best: number | null };

/** How rows are arranged. */
export interface Arrangement {
  /** Group runs by this param or tag (`params.x` / `tags.y`), or null. */
  readonly groupBy: ColumnKey | null;
  /** Ids of expanded parents and groups. */
  readonly expanded: ReadonlySet<string>;
  /** The key metric and whether lower is better, for a group's best value. */
  readonly keyMetric: string | null;
  readonly lowerIsBetter: boolean;
}

/**
 * The display order: runs in the server's order; a child run whose parent is loaded goes
 * under it (shown when the parent is expanded); with `groupBy`, all runs are grouped flat
 * by that value (groups in order of first appearance, "(none)" for runs without it).
 */
export function arrange(rows: readonly RunRow[], a: Arrangement): DisplayRow[] {
  const ids = new Set(rows.map((r) => r.runId));
  const children = new Map<string, RunRow[]>();
  const top: RunRow[] = [];
  for (const r of rows) {
    if (r.parentId !== null && r.parentId !== r.runId && ids.has(r.parentId)) {
      const list = children.get(r.parentId) ?? [];
      list.push(r);
      children.set(r.parentId, list);
    } else top.push(r);
  }
  // Runs whose parents form a cycle (bad tags) are reachable from no top-level run: list them at the top.
  const reachable = new Set<string>();
  const stack = top.map((r) => r.runId);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const k of children.get(id) ?? []) stack.push(k.runId);
  }
  for (const r of rows) if (!reachable.has(r.runId) && !top.includes(r)) top.push(r);
  const out: DisplayRow[] = [];
  const visiting = new Set<string>();
  const emit = (r: RunRow, depth: number): void => {
    if (visiting.has(r.runId)) return; // a parent cycle in tags: show each run once
    visiting.add(r.runId);
    const kids = children.get(r.runId) ?? [];
    const expanded = a.expanded.has(r.runId);
    out.push({ kind: "run", id: r.runId, row: r, depth, childCount: kids.length, expanded });
    if (expanded) for (const k of kids) emit(k, depth + 1);
  };
  if (a.groupBy === null) {
    for (const r of top) emit(r, 0);
    return out;
  }
  // Grouped, runs are listed flat in their group (as MLflow does): a child's group is its own value.
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const v = cellValue(r, a.groupBy);
    const label = v === null || v === "" ? "(none)" : String(v);
    const list = groups.get(label) ?? [];
    list.push(r);
    groups.set(label, list);
  }
  for (const [label, members] of groups) {
    const id = `group:${label}`;
    const expanded = a.expanded.has(id);
    const values = a.keyMetric === null ? [] : members.map((m) => m.metrics.get(a.keyMetric as string)).filter((v): v is number => v !== undefined);
    const best = values.length === 0 ? null : a.lowerIsBetter ? Math.min(...values) : Math.max(...values);
    out.push({ kind: "group", id, label: `${a.groupBy.key} = ${label}`, count: members.length, expanded, best });
    if (expanded) for (const r of members) out.push({ kind: "run", id: r.runId, row: r, depth: 1, childCount: 0, expanded: false });
  }
  return out;
}

/** Whether lower values of the key metric are better (an Optuna study's direction, else a name guess). */
export function lowerIsBetter(rows: readonly RunRow[], metric: string | null): boolean {
  const direction = rows.find((r) => r.tags.has("direction"))?.tags.get("direction");
  if (metric === "value" && direction !== undefined) return direction !== "MAXIMIZE";
  if (metric === null) return true;
  return !/(^|_)(r2|acc|accuracy|auc|f1|precision|recall|score)($|_)/i.test(metric);
}

function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows as CSV (RFC 4180), one column per given column, with full-precision numbers and the run id first. */
export function toCsv(rows: readonly RunRow[], columns: readonly ColumnKey[]): string {
  const head = ["Run ID", ...columns.map((c) => (c.type === "attribute" ? c.key : columnId(c)))];
  const lines = [head.map(csvField).join(",")];
  for (const r of rows) lines.push([r.runId, ...columns.map((c) => cellValue(r, c))].map(csvField).join(","));
  return lines.join("\r\n") + "\r\n";
}

/**
 * Optuna's `trials_dataframe()` as rows of plain objects (tslab and plotly take these directly):
 * `number, value, datetime_start, datetime_complete, duration, params_<name>...,
 * user_attrs_<key>..., system_attrs_<key>..., state` (Optuna 3.1's default columns).
 */
import { ParamValue } from "./distributions";
import { durationSeconds, FrozenTrial } from "./frozenTrial";
import { JsonValue } from "./json";

/** One row of the trials table. */
export type TrialsRow = Record<string, ParamValue | JsonValue | Date>;

/** Rows for `trials`, with one column per parameter / user attribute seen in any trial. */
export function trialsDataFrame(trials: readonly FrozenTrial[]): TrialsRow[] {
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const userKeys = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs)))].sort();
  const systemKeys = [...new Set(trials.flatMap((t) => Object.keys(t.systemAttrs)))].sort();
  return trials.map((t) => {
    const row: TrialsRow = {
      number: t.number,
      value: t.value,
      datetime_start: t.datetimeStart,
      datetime_complete: t.datetimeComplete,
      duration: durationSeconds(t),
    };
    for (const name of paramNames) row[`params_${name}`] = name in t.params ? (t.params[name] as ParamValue) : null;
    for (const key of userKeys) row[`user_attrs_${key}`] = key in t.userAttrs ? (t.userAttrs[key] as JsonValue) : null;
    for (const key of systemKeys) row[`system_attrs_${key}`] = key in t.systemAttrs ? (t.systemAttrs[key] as JsonValue) : null;
    row["state"] = t.state;
    return row;
  });
}

import type { Frame } from "../data/frame";
import type { ColumnTransformer } from "../preprocess/columnTransformer";
import type { Matrix } from "../util/matrix";
import { formatSignificant } from "./format";

/** One input column of a fitted ColumnTransformer and the model features it became. */
export interface FeatureGroup {
  readonly column: string;
  /** The transformer part that handles it ("num", "cat"). */
  readonly part: string;
  /** Indices of its output features in the transformed matrix. */
  readonly indices: readonly number[];
  /** Its output features' names without the part and column prefixes ("Private", or "" for a numeric column). */
  readonly suffixes: readonly string[];
  /** Whether its part one-hot encodes (its features are named `column_category`). */
  readonly oneHot: boolean;
}

/** scikit-learn's name for the column of grouped infrequent categories, as the slides say it. */
const shownCategory = (suffix: string): string => (suffix === "infrequent_sklearn" ? "rarer ones, grouped" : suffix);

/** Groups a fitted ColumnTransformer's output features by the input column they come from (longest column-name prefix wins). */
export function featureGroups(preprocessor: ColumnTransformer): FeatureGroup[] {
  const names = preprocessor.getFeatureNamesOut();
  const groups: FeatureGroup[] = [];
  for (const [part, , columns] of preprocessor.parts) {
    const byLength = [...columns].sort((a, b) => b.length - a.length);
    const owner = new Map<number, string>();
    names.forEach((full, index) => {
      if (!full.startsWith(`${part}__`)) return;
      const name = full.slice(part.length + 2);
      const column = byLength.find((c) => name === c || name.startsWith(`${c}_`));
      if (column !== undefined) owner.set(index, column);
    });
    const partGroups = columns.map((column) => {
      const indices = [...owner.entries()].filter(([, c]) => c === column).map(([i]) => i);
      const suffixes = indices.map((i) => (names[i] as string).slice(part.length + 2 + column.length).replace(/^_/, ""));
      return { column, part, indices, suffixes };
    });
    const oneHot = partGroups.some((g) => g.suffixes.some((s) => s !== ""));
    groups.push(...partGroups.map((g) => ({ ...g, oneHot })));
  }
  return groups;
}

/**
 * The model features per input column, as table rows: the numeric columns of a part together
 * (one feature each), then each one-hot column with how many features and which categories.
 */
export function featureGroupRecords(preprocessor: ColumnTransformer, listed = 4): { columns: string; features: number; "what the model sees": string }[] {
  const groups = featureGroups(preprocessor);
  const rows: { columns: string; features: number; "what the model sees": string }[] = [];
  for (const part of new Set(groups.map((g) => g.part))) {
    const inPart = groups.filter((g) => g.part === part);
    if (!(inPart[0] as FeatureGroup).oneHot) {
      rows.push({ columns: inPart.map((g) => g.column).join(", "), features: inPart.reduce((n, g) => n + g.indices.length, 0), "what the model sees": "imputed, then standardised" });
      continue;
    }
    for (const g of inPart) {
      const names = g.suffixes.map(shownCategory);
      const shown = names.slice(0, listed).join(", ") + (names.length > listed ? `, + ${names.length - listed} more` : "");
      rows.push({
        columns: g.column,
        features: g.indices.length,
        "what the model sees": g.indices.length === 0 ? "nothing: its categories form one group, dropped as the first" : `one-hot: ${shown}`,
      });
    }
  }
  return rows;
}

/**
 * One row of the data before and after preprocessing, one table row per input column: the raw
 * value, and what the model gets from it (the standardised number, or which one-hot column is
 * 1, or that all are 0 for the dropped first category).
 */
export function beforeAfterRecords(
  preprocessor: ColumnTransformer,
  frame: Frame,
  X: Matrix,
  row = 0,
): { column: string; before: string | number | null; after: string }[] {
  if (row < 0 || row >= frame.nRows || row >= X.rows) throw new RangeError(`beforeAfterRecords: row ${row} is outside 0..${Math.min(frame.nRows, X.rows) - 1}`);
  const raw = frame.rowRecord(row);
  return featureGroups(preprocessor).map((g) => {
    const values = g.indices.map((i) => X.data[row * X.cols + i] as number);
    let after: string;
    if (!g.oneHot) after = formatSignificant(values[0] ?? NaN, 3);
    else if (values.length === 0) after = "no feature";
    else {
      const hot = values.findIndex((v) => v === 1);
      const others = values.length - 1;
      if (hot === -1) after = `${values.length === 1 ? "its column" : `all ${values.length} columns`} 0: it is in the dropped first group`;
      else after = `${shownCategory(g.suffixes[hot] as string)} = 1${others === 0 ? "" : others === 1 ? ", the other column 0" : `, the other ${others} columns 0`}`;
    }
    const before = raw[g.column] ?? null;
    return { column: g.column, before: typeof before === "number" && Number.isNaN(before) ? "(missing)" : before, after };
  });
}

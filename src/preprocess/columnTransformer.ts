import type { Frame } from "../data/frame";
import { ValueError } from "../errors";
import { checkIsFitted, type EstimatorJSON, type Transformer } from "../estimator";
import type { Matrix } from "../util/matrix";
import { copyColumnInto } from "./columnKernels";
import type { FrameTransformer } from "./frameTransformer";
import { transformerFromJSON } from "./registry";

/** One part of a {@link ColumnTransformer}: a name, a transformer, and the columns it takes. */
export type ColumnTransformerPart = readonly [name: string, transformer: FrameTransformer, columns: readonly string[]];

interface ColumnTransformerState {
  readonly featureNamesOut: string[];
  /** [start, end) of each part's output columns. */
  readonly outputRanges: Array<[number, number]>;
}

/**
 * scikit-learn's ColumnTransformer (remainder "drop"): each part transforms its own columns;
 * the outputs are laid side by side in a matrix, named `part__feature`.
 */
export class ColumnTransformer implements Transformer<Frame, Matrix> {
  readonly kind = "ColumnTransformer";
  readonly parts: readonly ColumnTransformerPart[];
  private state: ColumnTransformerState | null = null;

  constructor(parts: readonly ColumnTransformerPart[]) {
    const names = new Set<string>();
    for (const [name] of parts) {
      if (names.has(name)) throw new ValueError(`ColumnTransformer: part name "${name}" is used twice`);
      names.add(name);
    }
    this.parts = parts;
  }

  /** The transformer of the part called `name` (scikit-learn's `named_transformers_`). */
  namedTransformer(name: string): FrameTransformer {
    const part = this.parts.find(([n]) => n === name);
    if (part === undefined) throw new ValueError(`ColumnTransformer: no part "${name}"`);
    return part[1];
  }

  /** The input columns the transformer needs. */
  get requiredColumns(): string[] {
    return [...new Set(this.parts.flatMap(([, , c]) => c))];
  }

  fit(input: Frame): this {
    this.fitTransform(input);
    return this;
  }

  fitTransform(input: Frame): Matrix {
    this.checkColumns(input);
    const outputs = this.parts.map(([, t, cols]) => t.fitTransform(input.select(cols)));
    const featureNamesOut: string[] = [];
    const outputRanges: Array<[number, number]> = [];
    this.parts.forEach(([name, t]) => {
      const start = featureNamesOut.length;
      featureNamesOut.push(...t.getFeatureNamesOut().map((f) => `${name}__${f}`));
      outputRanges.push([start, featureNamesOut.length]);
    });
    this.state = { featureNamesOut, outputRanges };
    return stack(outputs, input.nRows);
  }

  transform(input: Frame): Matrix {
    checkIsFitted(this.state, this.kind);
    this.checkColumns(input);
    return stack(this.parts.map(([, t, cols]) => t.transform(input.select(cols))), input.nRows);
  }

  private checkColumns(input: Frame): void {
    for (const [name, , cols] of this.parts) {
      for (const c of cols) {
        if (!input.has(c)) throw new ValueError(`ColumnTransformer: part "${name}" needs column "${c}", which the input lacks`);
      }
    }
  }

  getFeatureNamesOut(): string[] {
    checkIsFitted(this.state, this.kind);
    return [...this.state.featureNamesOut];
  }

  toJSON(): EstimatorJSON<{ parts: Array<[string, EstimatorJSON, string[]]> }, ColumnTransformerState> {
    return {
      kind: this.kind,
      params: { parts: this.parts.map(([n, t, c]) => [n, t.toJSON(), [...c]]) },
      state: this.state,
    };
  }

  static fromJSON(json: EstimatorJSON): ColumnTransformer {
    const { parts } = json.params as { parts: Array<[string, EstimatorJSON, string[]]> };
    const ct = new ColumnTransformer(parts.map(([n, t, c]) => [n, transformerFromJSON(t), c] as const));
    ct.state = json.state as ColumnTransformerState | null;
    return ct;
  }
}

/** The parts' output columns side by side. */
function stack(frames: Frame[], nRows: number): Matrix {
  const columns = frames.flatMap((f) => f.columnNames.map((n) => f.numeric(n)));
  const cols = columns.length;
  for (let j = 0; j < cols; j++) {
    const c = columns[j] as Float64Array;
    if (c.length !== nRows) throw new RangeError(`ColumnTransformer: output column ${j} has ${c.length} values, expected ${nRows}`);
  }
  const data = new Float64Array(nRows * cols);
  for (let j = 0; j < cols; j++) copyColumnInto(data, columns[j] as Float64Array, j, cols);
  return { rows: nRows, cols, data };
}

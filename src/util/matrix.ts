/**
 * A dense row-major matrix of doubles: the one shape in which data flows from
 * preprocessing into models and evaluation.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

/** Makes a `rows x cols` matrix, zero-filled or wrapping `data`. */
export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  const values = data ?? new Float64Array(rows * cols);
  if (values.length !== rows * cols) {
    throw new RangeError(`matrix: data has ${values.length} values, expected ${rows} x ${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: values };
}

/** Builds a matrix from an array of equal-length rows. */
export function fromRows(rows: ReadonlyArray<ArrayLike<number>>): Matrix {
  const n = rows.length;
  const d = n === 0 ? 0 : (rows[0] as ArrayLike<number>).length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i] as ArrayLike<number>;
    if (r.length !== d) throw new RangeError(`fromRows: row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) out[i * d + j] = r[j] as number;
  }
  return { rows: n, cols: d, data: out };
}

/** Lays equal-length columns side by side as a `rows x columns.length` matrix. */
export function fromColumns(columns: ReadonlyArray<ArrayLike<number>>, rows: number): Matrix {
  const cols = columns.length;
  const data = new Float64Array(rows * cols);
  columns.forEach((c, j) => {
    if (c.length !== rows) throw new RangeError(`fromColumns: column ${j} has ${c.length} values, expected ${rows}`);
    for (let i = 0; i < rows; i++) data[i * cols + j] = c[i] as number;
  });
  return { rows, cols, data };
}

/** Row `i` as a subarray view (no copy). */
export function row(m: Matrix, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Column `j` as a new array. */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j] as number;
  return out;
}

/** The rows of `m` at `indices`, in that order, as a new matrix. */
export function takeRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Float64Array(indices.length * m.cols);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    out.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
  }
  return { rows: indices.length, cols: m.cols, data: out };
}

/** The entries of `v` at `indices`, as a new array. */
export function takeValues(v: ArrayLike<number>, indices: ArrayLike<number>): Float64Array {
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = v[indices[k] as number] as number;
  return out;
}

/** Rows of `m` as plain arrays (for display and JSON). */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(row(m, i)));
  return out;
}

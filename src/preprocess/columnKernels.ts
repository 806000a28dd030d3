/**
 * Loops over one column, each in its own small function that returns right after its loop.
 * In a fresh process a loop runs in V8's interpreter until it is compiled on the fly (OSR);
 * code after a loop that never ran before has no type feedback, so reaching it leaves the
 * compiled code (a deoptimisation). A function that only loops and returns compiles once and
 * stays compiled, and calling the same one for every column pays the warm-up once.
 */

/** Writes [how many values are not NaN, their sum in row order] to `out`. */
export function countAndSumPresent(col: Float64Array, out: Float64Array): void {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    if (v === v) {
      sum += v;
      n++;
    }
  }
  out[0] = n;
  out[1] = sum;
}

/** Writes [sum of (v - mean)^2, sum of (v - mean)] over the values that are not NaN, in row order, to `out`. */
export function deviationSums(col: Float64Array, mean: number, out: Float64Array): void {
  let sq = 0;
  let s = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i] as number;
    if (v === v) {
      sq += (v - mean) * (v - mean);
      s += v - mean;
    }
  }
  out[0] = sq;
  out[1] = s;
}

/** (v - shift) / scale for every value. */
export function standardised(col: Float64Array, shift: number, scale: number): Float64Array {
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = ((col[i] as number) - shift) / scale;
  return out;
}

/** Writes `col` into column `j` of the row-major `data` with `cols` columns. */
export function copyColumnInto(data: Float64Array, col: Float64Array, j: number, cols: number): void {
  for (let i = 0, at = j; i < col.length; i++, at += cols) data[at] = col[i] as number;
}

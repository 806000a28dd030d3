import { ValueError } from "../errors";

/**
 * Solves `A x = b` for a symmetric positive-definite `d x d` matrix `A` (row-major)
 * by Cholesky factorisation. `A` and `b` are left untouched.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, d: number, who: string): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * d + k] as number) * (L[j * d + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new ValueError(`${who}: the normal equations are singular (pivot ${i} is ${s}); increase alpha`);
        L[i * d + i] = Math.sqrt(s);
      } else {
        L[i * d + j] = s / (L[j * d + j] as number);
      }
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (L[i * d + k] as number) * (z[k] as number);
    z[i] = s / (L[i * d + i] as number);
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let k = i + 1; k < d; k++) s -= (L[k * d + i] as number) * (x[k] as number);
    x[i] = s / (L[i * d + i] as number);
  }
  return x;
}

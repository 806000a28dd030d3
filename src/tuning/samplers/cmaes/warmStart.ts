/**
 * Warm starting CMA-ES from solutions of a similar task (Nomura et al., AAAI 2021), after the
 * `cmaes` package's `get_warm_start_mgd`: the mean and covariance of the best `gamma` share of
 * the source solutions, with a prior `alpha^2 I`, split into a step size and a covariance of
 * determinant one.
 */

/** Mean, step size and covariance (row-major) for a warm-started CMA-ES. */
export interface WarmStart {
  mean: Float64Array;
  sigma: number;
  cov: Float64Array;
}

/** `get_warm_start_mgd(source_solutions, gamma, alpha)` of cmaes 0.13. */
export function warmStartMgd(solutions: { x: ArrayLike<number>; value: number }[], gamma = 0.1, alpha = 0.1): WarmStart {
  if (!(gamma > 0 && gamma <= 1)) throw new Error("warm start: gamma should be in (0, 1]");
  if (solutions.length === 0) throw new Error("warm start: solutions should contain one or more items.");
  const sorted = [...solutions].sort((a, b) => a.value - b.value);
  const top = Math.floor(sorted.length * gamma);
  if (top < 1) throw new Error("warm start: one or more solutions must be selected from a source task (too few source trials for gamma)");
  const n = (sorted[0] as { x: ArrayLike<number> }).x.length;
  const mean = new Float64Array(n);
  const second = new Float64Array(n * n);
  for (let s = 0; s < top; s++) {
    const x = (sorted[s] as { x: ArrayLike<number> }).x;
    for (let i = 0; i < n; i++) {
      mean[i] = (mean[i] as number) + (x[i] as number) / top;
      for (let j = 0; j < n; j++) second[i * n + j] = (second[i * n + j] as number) + ((x[i] as number) * (x[j] as number)) / top;
    }
  }
  const Sigma = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Sigma[i * n + j] = (i === j ? alpha * alpha : 0) + (second[i * n + j] as number) - (mean[i] as number) * (mean[j] as number);
  const det = determinant(Sigma, n);
  const sigma = Math.pow(det, 1 / 2 / n);
  const scale = Math.pow(det, 1 / n);
  return { mean, sigma, cov: Sigma.map((v) => v / scale) };
}

/** Determinant by Gaussian elimination with partial pivoting. */
export function determinant(a: Float64Array, n: number): number {
  const m = Float64Array.from(a);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c] as number) > Math.abs(m[p * n + c] as number)) p = r;
    const pivot = m[p * n + c] as number;
    if (pivot === 0) return 0;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const t = m[c * n + k] as number;
        m[c * n + k] = m[p * n + k] as number;
        m[p * n + k] = t;
      }
      det = -det;
    }
    det *= pivot;
    for (let r = c + 1; r < n; r++) {
      const f = (m[r * n + c] as number) / pivot;
      for (let k = c; k < n; k++) m[r * n + k] = (m[r * n + k] as number) - f * (m[c * n + k] as number);
    }
  }
  return det;
}

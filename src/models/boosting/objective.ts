import type { Objective } from "./params";

const f32 = Math.fround;

/**
 * Gradient and hessian of each row's loss at the current float32 predictions, computed in
 * float32 arithmetic as XGBoost 1.7's `src/objective/regression_obj.cu` does
 * (`Math.fround` after every operation reproduces single precision exactly).
 */
export function computeGradients(objective: Objective, huberSlope: number, preds: Float32Array,
  label: Float32Array, weight: Float32Array | null, grad: Float32Array, hess: Float32Array,
  begin = 0, end = preds.length): void {
  if (objective === "reg:squarederror" && weight === null) {
    for (let i = begin; i < end; i++) grad[i] = f32((preds[i] as number) - (label[i] as number));
    hess.fill(1, begin, end);
  } else if (objective === "reg:squarederror") {
    for (let i = begin; i < end; i++) {
      const w = weight === null ? 1 : (weight[i] as number);
      grad[i] = f32(f32((preds[i] as number) - (label[i] as number)) * w);
      hess[i] = w;
    }
  } else if (objective === "reg:absoluteerror") {
    for (let i = begin; i < end; i++) {
      const w = weight === null ? 1 : (weight[i] as number);
      const d = (preds[i] as number) - (label[i] as number);
      grad[i] = d > 0 ? w : d < 0 ? -w : 0;
      hess[i] = w;
    }
  } else {
    const slope = f32(huberSlope);
    const slopeSqr = f32(slope * slope);
    for (let i = begin; i < end; i++) {
      const w = weight === null ? 1 : (weight[i] as number);
      const z = f32((preds[i] as number) - (label[i] as number));
      const zz = f32(z * z);
      const scaleSqrt = f32(Math.sqrt(f32(1 + f32(zz / slopeSqr))));
      const scale = f32(f32(zz / slopeSqr) + 1);
      grad[i] = f32(f32(z / scaleSqrt) * w);
      hess[i] = f32(f32(1 / f32(scale * f32(Math.sqrt(scale)))) * w);
    }
  }
}

/**
 * The intercept XGBoost 2.x estimates when `base_score` is not given: the weighted median for
 * absolute error, otherwise one Newton step from a zero margin, `-sum(g) / sum(h)` (the weighted
 * mean for squared error).
 */
export function estimateBaseScore(objective: Objective, label: Float32Array, weight: Float32Array | null,
  huberSlope = 1): number {
  const n = label.length;
  if (n === 0) return 0.5;
  if (objective === "reg:absoluteerror") return weightedQuantile(label, weight, 0.5);
  const zero = new Float32Array(n);
  const grad = new Float32Array(n);
  const hess = new Float32Array(n);
  computeGradients(objective, huberSlope, zero, label, weight, grad, hess);
  let g = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    g += grad[i] as number;
    h += hess[i] as number;
  }
  return h > 0 ? f32(-g / h) : 0.5;
}

/**
 * XGBoost's `common::Quantile` / `WeightedQuantile` (src/common/stats.h): the alpha
 * quantile with linear interpolation (unweighted) or the weighted step quantile.
 */
export function weightedQuantile(values: ArrayLike<number>, weight: ArrayLike<number> | null, alpha: number): number {
  const n = values.length;
  if (n === 0) return NaN;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => ((values[a] as number) - (values[b] as number)) || a - b);
  const val = (k: number): number => values[idx[k] as number] as number;
  if (weight === null) {
    if (alpha <= 1 / (n + 1)) return val(0);
    if (alpha >= n / (n + 1)) return val(n - 1);
    const x = alpha * (n + 1);
    const k = Math.floor(x) - 1;
    const d = x - 1 - k;
    const v0 = val(k);
    const v1 = val(k + 1);
    return f32(v0 + d * (v1 - v0));
  }
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let k = 0; k < n; k++) {
    acc += weight[idx[k] as number] as number;
    cdf[k] = acc;
  }
  const thresh = cdf[n - 1]! * alpha;
  let k = 0;
  while (k < n - 1 && (cdf[k] as number) < thresh) k++;
  return val(k);
}

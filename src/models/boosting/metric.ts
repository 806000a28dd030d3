import type { MetricName } from "./params";

const f32 = Math.fround;

/**
 * An evaluation metric as XGBoost 1.7 defines it (src/metric/elementwise_metric.cu):
 * per-row errors in float32, summed in double, weighted mean (square root for rmse).
 * `mphe` uses `huberSlope`.
 */
export function evaluateMetric(name: MetricName, preds: Float32Array, label: Float32Array,
  weight: Float32Array | null, huberSlope = 1): number {
  const n = preds.length;
  let sum = 0;
  let wsum = 0;
  const slope = f32(huberSlope);
  for (let i = 0; i < n; i++) {
    const w = weight === null ? 1 : (weight[i] as number);
    const l = label[i] as number;
    const diff = f32(l - (preds[i] as number));
    let e: number;
    switch (name) {
      case "rmse":
        e = f32(diff * diff);
        break;
      case "mae":
        e = Math.abs(diff);
        break;
      case "mape":
        e = Math.abs(f32(diff / l));
        break;
      default: {
        const z = f32(diff / slope);
        e = f32(f32(slope * slope) * f32(f32(Math.sqrt(f32(1 + f32(z * z)))) - 1));
      }
    }
    sum += f32(e * w);
    wsum += w;
  }
  const mean = wsum === 0 ? sum : sum / wsum;
  return name === "rmse" ? Math.sqrt(mean) : mean;
}

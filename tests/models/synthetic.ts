import { Random } from "../../src/util/random";
import type { Matrix } from "../../src/util/matrix";

/** Rows of independent uniform features in [0, 1) and a noisy nonlinear target. */
export function syntheticRegression(rows: number, cols: number, seed: number, noise = 0.1): { X: Matrix; y: Float64Array } {
  const random = new Random(seed);
  const data = new Float64Array(rows * cols);
  for (let p = 0; p < data.length; p++) data[p] = random.random();
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = data.subarray(i * cols, (i + 1) * cols);
    let v = 3 * (x[0] as number) + Math.sin(6 * (x[1 % cols] as number)) + 2 * (x[2 % cols] as number) * (x[0] as number);
    for (let j = 3; j < cols; j++) v += (x[j] as number) / j;
    y[i] = v + noise * random.normal();
  }
  return { X: { rows, cols, data }, y };
}

import { Random } from "../../src/util/random";
import type { Matrix } from "../../src/util/matrix";

/** A seeded regression problem: y = 3 x0 - 2 x1^2 + sin(3 x2) + noise, some features irrelevant. */
export function synthetic(rows: number, cols: number, seed: number, missingRate = 0): { X: Matrix; y: Float64Array } {
  const rng = new Random(seed);
  const data = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = j % 4 === 3 ? rng.int(3) : rng.normal();
    const x0 = data[i * cols] as number;
    const x1 = data[i * cols + 1] as number;
    const x2 = data[i * cols + 2] as number;
    y[i] = 3 * x0 - 2 * x1 * x1 + Math.sin(3 * x2) + 0.1 * rng.normal() + 10;
    for (let j = 0; j < cols; j++) if (missingRate > 0 && rng.random() < missingRate) data[i * cols + j] = NaN;
  }
  return { X: { rows, cols, data }, y };
}

// The sampler suite's test functions, as bench/python/sampler_suite.py defines them (the suite
// checks both agree at random points before it runs). name -> {optimum, objective(trial)}.
const HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
const HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2];
const MIXED_OFFSET = { a: 1, b: 0, c: 0.5, d: 2 };

const sum = (xs, f) => xs.reduce((a, v, i) => a + f(v, i), 0);

export const formulas = {
  sphere: (x) => sum(x, (v) => v * v),
  rosenbrock: (x) => sum(x.slice(0, -1), (v, i) => 100 * (x[i + 1] - v ** 2) ** 2 + (1 - v) ** 2),
  rastrigin: (x) => 10 * x.length + sum(x, (v) => v * v - 10 * Math.cos(2 * Math.PI * v)),
  styblinski_tang: (x) => sum(x, (v) => (v ** 4 - 16 * v * v + 5 * v) / 2),
  branin: ([x0, x1]) => {
    const b = 5.1 / (4 * Math.PI ** 2), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
    return (x1 - b * x0 ** 2 + c * x0 - 6) ** 2 + 10 * (1 - t) * Math.cos(x0) + 10;
  },
  hartmann6: (x) => -sum(HARTMANN_ALPHA, (alpha, i) => alpha * Math.exp(-sum(x, (v, j) => HARTMANN_A[i][j] * (v - 1e-4 * HARTMANN_P[i][j]) ** 2))),
  ackley: (x) => -20 * Math.exp(-0.2 * Math.sqrt(sum(x, (v) => v * v) / x.length)) - Math.exp(sum(x, (v) => Math.cos(2 * Math.PI * v)) / x.length) + 20 + Math.E,
  mixed: ([x, lr, n, depth, kind]) => (x - 1) ** 2 / 4 + (Math.log10(lr) + 3) ** 2 + ((n - 7) / 4) ** 2 + (Math.log2(depth) - 5) ** 2 / 4 + MIXED_OFFSET[kind],
};

const box = (dim, lo, hi) => (t) => Array.from({ length: dim }, (_, i) => t.suggestFloat(`x${i}`, lo, hi));

/** name -> [suggest(trial) -> parameter list, known minimum]. */
export const spaces = {
  sphere: [box(4, -5, 5), 0],
  rosenbrock: [box(2, -2, 2), 0],
  rastrigin: [box(3, -5.12, 5.12), 0],
  styblinski_tang: [box(3, -5, 5), -39.16616570377142 * 3],
  branin: [(t) => [t.suggestFloat("x0", -5, 10), t.suggestFloat("x1", 0, 15)], 0.39788735772973816],
  hartmann6: [box(6, 0, 1), -3.322368011391339],
  ackley: [box(3, -32.768, 32.768), 0],
  mixed: [(t) => [t.suggestFloat("x", -5, 5), t.suggestFloat("lr", 1e-5, 1, { log: true }), t.suggestInt("n", 1, 20), t.suggestInt("depth", 1, 1024, { log: true }), t.suggestCategorical("kind", ["a", "b", "c", "d"])], 0],
};

/** Random points of each function's space (for the cross-language check). */
export function randomPoints(rng, n) {
  const u = (lo, hi) => lo + (hi - lo) * rng();
  const vec = (dim, lo, hi) => Array.from({ length: dim }, () => u(lo, hi));
  const gen = {
    sphere: () => vec(4, -5, 5),
    rosenbrock: () => vec(2, -2, 2),
    rastrigin: () => vec(3, -5.12, 5.12),
    styblinski_tang: () => vec(3, -5, 5),
    branin: () => [u(-5, 10), u(0, 15)],
    hartmann6: () => vec(6, 0, 1),
    ackley: () => vec(3, -32.768, 32.768),
    mixed: () => [u(-5, 5), Math.exp(u(Math.log(1e-5), 0)), 1 + Math.floor(20 * rng()), 1 + Math.floor(1024 * rng()), "abcd"[Math.floor(4 * rng())]],
  };
  return Object.fromEntries(Object.entries(gen).map(([k, g]) => [k, Array.from({ length: n }, g)]));
}

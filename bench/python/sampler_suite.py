"""The sampler suite's Optuna side (bench/tpe.mjs runs it with the interpreter of each peer).

Runs one Optuna sampler on the suite's test functions, one study per (function, seed), and
prints one JSON line per study as soon as it finishes:
  {"function": name, "seed": s, "best": best value, "seconds": wall time of the study}
With --values, instead evaluates the functions at the points given on stdin (a cross-check
that both languages define the same functions): stdin {"name": [[params...], ...]}, stdout
{"name": [values...]}.

usage: python sampler_suite.py --sampler tpe|tpe-decoupled|tpe-mv|cmaes|gp|random --functions a,b
                               --seeds 0,1,2 --trials 100
       python sampler_suite.py --values < points.json
       python sampler_suite.py --overhead N --sampler tpe   (seconds for N trials, trivial objective)
"""
import argparse
import json
import math
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)

HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]
MIXED_OFFSET = {"a": 1.0, "b": 0.0, "c": 0.5, "d": 2.0}


def sphere(x):
    return sum(v * v for v in x)


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def styblinski_tang(x):
    return sum((v ** 4 - 16 * v * v + 5 * v) / 2 for v in x)


def branin(x):
    b, c, r, s, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - r) ** 2 + s * (1 - t) * math.cos(x[0]) + s


def hartmann6(x):
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - 1e-4 * HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


def ackley(x):
    n = len(x)
    return (-20 * math.exp(-0.2 * math.sqrt(sum(v * v for v in x) / n))
            - math.exp(sum(math.cos(2 * math.pi * v) for v in x) / n) + 20 + math.e)


def mixed(p):
    x, lr, n, depth, kind = p
    return ((x - 1) ** 2 / 4 + (math.log10(lr) + 3) ** 2 + ((n - 7) / 4) ** 2
            + (math.log2(depth) - 5) ** 2 / 4 + MIXED_OFFSET[kind])


# name -> (function, suggest(trial) -> parameter list)
def box(dim, lo, hi):
    return lambda t: [t.suggest_float(f"x{i}", lo, hi) for i in range(dim)]


FUNCTIONS = {
    "sphere": (sphere, box(4, -5, 5)),
    "rosenbrock": (rosenbrock, box(2, -2, 2)),
    "rastrigin": (rastrigin, box(3, -5.12, 5.12)),
    "styblinski_tang": (styblinski_tang, box(3, -5, 5)),
    "branin": (branin, lambda t: [t.suggest_float("x0", -5, 10), t.suggest_float("x1", 0, 15)]),
    "hartmann6": (hartmann6, box(6, 0, 1)),
    "ackley": (ackley, box(3, -32.768, 32.768)),
    "mixed": (mixed, lambda t: [t.suggest_float("x", -5, 5), t.suggest_float("lr", 1e-5, 1, log=True),
                                t.suggest_int("n", 1, 20), t.suggest_int("depth", 1, 1024, log=True),
                                t.suggest_categorical("kind", ["a", "b", "c", "d"])]),
}


def make_sampler(name, seed):
    s = optuna.samplers
    if name == "tpe":
        return s.TPESampler(seed=seed)
    if name == "tpe-decoupled":
        # The startup RandomSampler on another stream than TPE's own (Optuna seeds both with `seed`).
        sampler = s.TPESampler(seed=seed)
        sampler._random_sampler = s.RandomSampler(seed=seed + 1000)
        return sampler
    if name == "tpe-mv":
        return s.TPESampler(seed=seed, multivariate=True)
    if name == "cmaes":
        return s.CmaEsSampler(seed=seed, warn_independent_sampling=False)
    if name == "gp":
        return s.GPSampler(seed=seed)
    if name == "random":
        return s.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sampler", default="tpe")
    ap.add_argument("--functions", default=",".join(FUNCTIONS))
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--trials", type=int, default=100)
    ap.add_argument("--values", action="store_true")
    ap.add_argument("--overhead", type=int, default=0)
    args = ap.parse_args()
    if args.values:
        points = json.load(sys.stdin)
        print(json.dumps({k: [FUNCTIONS[k][0](p) for p in v] for k, v in points.items()}))
        return
    if args.overhead:
        stamps = []

        def objective(t):
            v = sum(t.suggest_float(f"x{i}", -5, 5) ** 2 for i in range(3)) + (t.suggest_categorical("c", ["a", "b", "c"]) == "a")
            stamps.append(time.perf_counter())
            return v

        study = optuna.create_study(sampler=make_sampler(args.sampler, 0))
        t0 = time.perf_counter()
        study.optimize(objective, n_trials=args.overhead)
        total = time.perf_counter() - t0
        last = stamps[-1] - stamps[-101] if args.overhead > 100 else total
        print(json.dumps({"total_s": total, "last100_s": last, "version": optuna.__version__}))
        return
    for name in args.functions.split(","):
        f, suggest = FUNCTIONS[name]
        for seed in [int(s) for s in args.seeds.split(",")]:
            study = optuna.create_study(sampler=make_sampler(args.sampler, seed))
            t0 = time.perf_counter()
            study.optimize(lambda t: f(suggest(t)), n_trials=args.trials)
            print(json.dumps({"function": name, "seed": seed, "best": study.best_value,
                              "seconds": time.perf_counter() - t0, "version": optuna.__version__}), flush=True)


if __name__ == "__main__":
    main()

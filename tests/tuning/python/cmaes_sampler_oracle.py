"""Optuna 4.9's CmaEsSampler on a fixed objective: every trial's parameters, for each seed.

Run with ../shared/peers/optuna4/python.sh.
stdin: {"seeds": N, "trials": T, "objective": "sphere" | "shifted"}
stdout: [[{name: value} per trial] per seed]
"""
import json
import math
import sys
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
spec = json.load(sys.stdin)


def objective(t):
    x = t.suggest_float("x", -4, 4)
    lr = t.suggest_float("lr", 1e-4, 1, log=True)
    n = t.suggest_int("n", 0, 10)
    return (x - 1) ** 2 + (math.log10(lr) + 2) ** 2 + ((n - 3) / 3) ** 2


out = []
for seed in range(spec["seeds"]):
    study = optuna.create_study(sampler=optuna.samplers.CmaEsSampler(seed=seed, warn_independent_sampling=False))
    study.optimize(objective, n_trials=spec["trials"])
    out.append([t.params for t in study.trials])
print(json.dumps(out))

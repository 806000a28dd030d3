"""One TPE step in Python Optuna 3.1, repeated over sampler seeds, on a fixed history.

stdin: {"history": [[x0, x1, value], ...], "seeds": N, "low": lo, "high": hi}
stdout: [[x0, x1] per seed]: the values TPESampler(seed) suggests for the next trial.
"""
import json
import sys
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
spec = json.load(sys.stdin)
dist = optuna.distributions.FloatDistribution(spec["low"], spec["high"])
trials = [optuna.trial.create_trial(params={"x0": a, "x1": b}, distributions={"x0": dist, "x1": dist}, value=v)
          for a, b, v in spec["history"]]
out = []
for seed in range(spec["seeds"]):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.add_trials(trials)
    trial = study.ask()
    out.append([trial.suggest_float("x0", spec["low"], spec["high"]), trial.suggest_float("x1", spec["low"], spec["high"])])
print(json.dumps(out))

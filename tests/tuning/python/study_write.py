"""Writes a study with Python Optuna: complete, pruned, failed and waiting trials of all kinds.

usage: study_write.py sqlite:///path.db study_name
"""
import sys
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)

study = optuna.create_study(study_name=sys.argv[2], storage=sys.argv[1], direction="maximize",
                            sampler=optuna.samplers.TPESampler(seed=3, n_startup_trials=3))
study.set_user_attr("dataset", "olx")


def objective(trial):
    x = trial.suggest_float("x", -2.0, 2.0)
    lr = trial.suggest_float("lr", 1e-4, 1.0, log=True)
    q = trial.suggest_float("q", 0.0, 1.0, step=0.25)
    depth = trial.suggest_int("depth", 2, 12, step=2)
    leaves = trial.suggest_int("leaves", 1, 1024, log=True)
    kind = trial.suggest_categorical("kind", ["gbtree", None, 1.5, True])
    trial.set_user_attr("tag", {"n": trial.number, "s": "x"})
    for step in range(4):
        trial.report(x * step, step)
    if trial.number % 5 == 3:
        raise optuna.TrialPruned()
    if trial.number % 7 == 6:
        raise RuntimeError("boom")
    if trial.number == 8:
        return float("nan")
    return -x * x + depth


study.optimize(objective, n_trials=12, catch=(RuntimeError,))
study.enqueue_trial({"x": 0.5, "kind": None})

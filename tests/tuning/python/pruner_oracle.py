"""Replays pruning scenarios with Python Optuna and prints its decisions as JSON.

stdin: [{"name", "direction", "pruner": {"kind", "options"}, "trials": [[v_step0, v_step1, ...], ...]}]
stdout: [[[bool per reported step until pruned] per trial] per scenario]
"""
import json
import sys

import warnings

import optuna

warnings.filterwarnings("ignore")

optuna.logging.set_verbosity(optuna.logging.ERROR)

KINDS = {
    "nop": optuna.pruners.NopPruner,
    "median": optuna.pruners.MedianPruner,
    "percentile": optuna.pruners.PercentilePruner,
    "successive_halving": optuna.pruners.SuccessiveHalvingPruner,
    "hyperband": optuna.pruners.HyperbandPruner,
    "threshold": optuna.pruners.ThresholdPruner,
}


def run(scenario):
    pruner = KINDS[scenario["pruner"]["kind"]](**scenario["pruner"]["options"])
    study = optuna.create_study(study_name=scenario["name"], direction=scenario["direction"],
                                pruner=pruner, sampler=optuna.samplers.RandomSampler(seed=0))
    decisions = []
    for values in scenario["trials"]:
        trial = study.ask()
        made = []
        pruned = False
        for step, value in enumerate(values):
            trial.report(value, step)
            decision = trial.should_prune()
            made.append(bool(decision))
            if decision:
                pruned = True
                break
        if pruned:
            study.tell(trial, state=optuna.trial.TrialState.PRUNED)
        else:
            study.tell(trial, values[-1])
        decisions.append(made)
    return decisions


print(json.dumps([run(s) for s in json.load(sys.stdin)]))

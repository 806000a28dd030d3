"""Loads a study with Python Optuna and prints what it sees as JSON (the truth for round trips).

usage: study_dump.py sqlite:///path.db study_name
"""
import json
import math
import sys
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def num(v):
    if v is None:
        return None
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return repr(v)
    return v


study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
out = {
    "direction": study.direction.name,
    "user_attrs": study.user_attrs,
    "trials": [
        {
            "number": t.number,
            "state": t.state.name,
            "value": num(t.value),
            "params": {k: num(v) for k, v in t.params.items()},
            "distributions": {k: optuna.distributions.distribution_to_json(d) for k, d in t.distributions.items()},
            "intermediate_values": {str(k): num(v) for k, v in t.intermediate_values.items()},
            "user_attrs": t.user_attrs,
            "system_attrs": t.system_attrs,
            "has_start": t.datetime_start is not None,
            "has_complete": t.datetime_complete is not None,
        }
        for t in study.trials
    ],
}
# The best COMPLETE trial by value. (Optuna 3.1's RDB `best_trial` orders by the stored value
# column, where infinities are NULL, so it can return an infinite value as the minimum.)
complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
pick = max if study.direction == optuna.study.StudyDirection.MAXIMIZE else min
out["best_number"] = pick(complete, key=lambda t: t.value).number if complete else None
print(json.dumps(out))

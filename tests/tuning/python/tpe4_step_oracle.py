"""One step of Optuna 4.9's TPESampler, repeated over sampler seeds, on a fixed history.

Run with ../shared/peers/optuna4/python.sh.
stdin: {"trials": [{"params": {name: value}, "distributions": {name: distribution_json},
         "value": v}], "seeds": N, "options": {"multivariate": bool, "group": bool},
         "ask": {name: distribution_json}}
stdout: [{name: value} per seed]: what TPESampler(seed=seed, **options) suggests next,
asking the parameters of "ask" in order.
"""
import json
import sys
import warnings

import optuna
from optuna.distributions import json_to_distribution

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
spec = json.load(sys.stdin)
trials = [optuna.trial.create_trial(params=t["params"], value=t["value"],
                                    distributions={k: json_to_distribution(v) for k, v in t["distributions"].items()})
          for t in spec["trials"]]
ask = {k: json_to_distribution(v) for k, v in spec["ask"].items()}
out = []
for seed in range(spec["seeds"]):
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed, **spec["options"]))
    study.add_trials(trials)
    trial = study.ask(ask)
    out.append(trial.params)
print(json.dumps(out))

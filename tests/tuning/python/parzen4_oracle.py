"""Optuna 4.9's _ParzenEstimator on fixed observations: its kernels (centres, bandwidths,
categorical weights), mixture weights and log_pdf at given points; and its gamma and weights.

Run with ../shared/peers/optuna4/python.sh.
stdin: {"cases": [{"space": {name: distribution_json}, "observations": {name: [internal...]},
          "points": {name: [internal...]}, "multivariate": bool, "consider_endpoints": bool,
          "consider_magic_clip": bool, "prior_weight": float}], "ns": [n...]}
stdout: {"cases": [{"log_pdf": [...], "weights": [...], "kernels": [{"mu": [...], "sigma": [...]}
          or {"weights": [[...]]} per parameter]}], "gamma": [...], "weights": [[...] per n]}
"""
import json
import sys

import numpy as np

import optuna
from optuna.distributions import json_to_distribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_gamma, default_weights

assert optuna.__version__.startswith("4."), optuna.__version__
spec = json.load(sys.stdin)
cases = []
for case in spec["cases"]:
    space = {k: json_to_distribution(v) for k, v in case["space"].items()}
    params = _ParzenEstimatorParameters(case["prior_weight"], case["consider_magic_clip"], case["consider_endpoints"],
                                        default_weights, case["multivariate"], {})
    obs = {k: np.asarray(v, dtype=float) for k, v in case["observations"].items()}
    pe = _ParzenEstimator(obs, space, params)
    pts = {k: np.asarray(v, dtype=float) for k, v in case["points"].items()}
    mixture = pe._mixture_distribution
    kernels = []
    for d in mixture.distributions:
        if hasattr(d, "mu"):
            kernels.append({"mu": d.mu.tolist(), "sigma": d.sigma.tolist()})
        else:
            kernels.append({"weights": d.weights.tolist()})
    cases.append({"log_pdf": [float(v) for v in pe.log_pdf(pts)], "weights": mixture.weights.tolist(), "kernels": kernels})
print(json.dumps({"cases": cases, "gamma": [default_gamma(n) for n in spec["ns"]],
                  "weights": [default_weights(n).tolist() for n in spec["ns"]]}))

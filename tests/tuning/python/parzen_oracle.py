"""Python Optuna 3.1's _ParzenEstimator.log_pdf for given observations and points.

Optuna 3.1.0's truncnorm.logpdf omits the -log(scale) term of a scaled density (fixed in
later releases); with --fix-scale the term is restored, the density this library implements.

stdin: [{"space": {name: distribution_json}, "observations": {name: [internal...]},
         "points": {name: [internal...]}, "multivariate": bool, "consider_endpoints": bool,
         "consider_magic_clip": bool, "prior_weight": float}]
stdout: [[log_pdf per point] per case]
"""
import json
import sys

import numpy as np

from optuna.distributions import json_to_distribution
from optuna.samplers._tpe import _truncnorm
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights

if "--fix-scale" in sys.argv:
    original = _truncnorm.logpdf

    def logpdf(x, a, b, loc=0, scale=1):
        return original(x, a, b, loc=loc, scale=scale) - np.log(scale)

    _truncnorm.logpdf = logpdf

out = []
for case in json.load(sys.stdin):
    space = {k: json_to_distribution(v) for k, v in case["space"].items()}
    params = _ParzenEstimatorParameters(True, case["prior_weight"], case["consider_magic_clip"],
                                        case["consider_endpoints"], default_weights, case["multivariate"])
    obs = {k: np.asarray(v, dtype=float) for k, v in case["observations"].items()}
    pe = _ParzenEstimator(obs, space, params)
    pts = {k: np.asarray(v, dtype=float if not hasattr(space[k], "choices") else int) for k, v in case["points"].items()}
    out.append([float(v) for v in pe.log_pdf(pts)])
print(json.dumps(out))

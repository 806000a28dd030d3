"""Optuna 4.5's own GP pieces on a fixed history (run with ../shared/peers/optuna4/python.sh and
OPTUNA_PEER_VERSION=4.5.0; needs Debian's python3-torch): the kernel fit (fit_kernel_params with
the default prior and minimum noise), its posterior and log EI at given points, and the best
value optimize_acqf_mixed reaches from several rng seeds, with the best observed point as its
warm start, as GPSampler calls it.

stdin: {"space": [{"kind": "float"|"int"|"categorical", "low": .., "high": .., "log": bool,
        "choices": n}], "X": [[normalised]], "y": [standardised], "points": [[...]],
        "seeds": [int]}
stdout: {"params": {"lam": [...], "scale": s, "noise": v}, "loss": l, "mean": [...], "var": [...],
         "logei": [...], "optimum": [{"value": f, "x": [...]}]}
"""
import json
import sys
import warnings

import numpy as np
import torch

warnings.simplefilter("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.ERROR)
import optuna._gp.acqf as acqf_module  # noqa: E402
import optuna._gp.gp as gp  # noqa: E402
import optuna._gp.optim_mixed as optim_mixed  # noqa: E402
import optuna._gp.prior as prior  # noqa: E402
import optuna._gp.search_space as gp_search_space  # noqa: E402
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution  # noqa: E402

spec = json.load(sys.stdin)


def distribution(d):
    if d["kind"] == "float":
        return FloatDistribution(d["low"], d["high"], log=d.get("log", False))
    if d["kind"] == "int":
        return IntDistribution(d["low"], d["high"], log=d.get("log", False))
    return CategoricalDistribution(list(range(d["choices"])))


space = gp_search_space.SearchSpace({f"p{i}": distribution(d) for i, d in enumerate(spec["space"])})
X = np.array(spec["X"], dtype=float)
y = np.array(spec["y"], dtype=float)
gpr = gp.fit_kernel_params(
    X=X, Y=y, is_categorical=space.is_categorical, log_prior=prior.default_log_prior,
    minimum_noise=prior.DEFAULT_MINIMUM_NOISE_VAR, deterministic_objective=False,
)
with torch.no_grad():
    loss = float(-gpr.marginal_log_likelihood() - prior.default_log_prior(gpr))
    points = torch.from_numpy(np.array(spec["points"], dtype=float))
    mean, var = gpr.posterior(points)
acqf = acqf_module.LogEI(gpr=gpr, search_space=space, threshold=float(y.max()))
best = X[np.argmax(y), np.newaxis]
optimum = []
for seed in spec["seeds"]:
    x, f = optim_mixed.optimize_acqf_mixed(acqf, warmstart_normalized_params_array=best, rng=np.random.RandomState(seed))
    optimum.append({"value": float(f), "x": x.tolist()})
json.dump({
    "params": {
        "lam": gpr.inverse_squared_lengthscales.detach().numpy().tolist(),
        "scale": float(gpr.kernel_scale), "noise": float(gpr.noise_var),
    },
    "loss": loss,
    "mean": mean.numpy().tolist(),
    "var": var.numpy().tolist(),
    "logei": acqf.eval_acqf_no_grad(np.array(spec["points"], dtype=float)).tolist(),
    "optimum": optimum,
}, sys.stdout)

"""Closed-form Gaussian-process quantities in NumPy/SciPy, written from the formulas (an
independent implementation): the Matern 5/2 ARD kernel with categorical dimensions, the
posterior mean and variance, the marginal log-likelihood (scipy.stats.multivariate_normal),
Optuna's MAP loss minimised by SciPy's L-BFGS-B (numerical gradient), and log EI through
scipy.special (log_ndtr, erfcx).

stdin: {"X": [[...]], "y": [...], "categorical": [bool], "params": {"lam": [...], "scale": s, "noise": v},
        "points": [[...]], "z": [...], "fit": bool}
stdout: {"mean": [...], "var": [...], "mll": m, "fit_loss": l, "logei": [...]}
"""
import json
import math
import sys

import numpy as np
from scipy import optimize, special, stats

spec = json.load(sys.stdin)
X = np.array(spec["X"], dtype=float)
y = np.array(spec["y"], dtype=float)
cat = np.array(spec["categorical"], dtype=bool)


def kernel(A, B, lam, scale):
    diff = A[:, None, :] - B[None, :, :]
    d2 = np.where(cat, (diff != 0).astype(float), diff ** 2)
    r2 = (d2 * lam).sum(-1)
    s = np.sqrt(5 * r2)
    return scale * (1 + s + 5 / 3 * r2) * np.exp(-s)


p = spec["params"]
lam, scale, noise = np.array(p["lam"]), p["scale"], p["noise"]
K = kernel(X, X, lam, scale) + noise * np.eye(len(y))
P = np.array(spec["points"], dtype=float)
k = kernel(P, X, lam, scale)
mean = k @ np.linalg.solve(K, y)
var = scale - np.einsum("ij,ji->i", k, np.linalg.solve(K, k.T))
mll = stats.multivariate_normal(mean=np.zeros(len(y)), cov=K).logpdf(y)


def loss(raw):
    d = X.shape[1]
    lam_, scale_, noise_ = np.exp(raw[:d]), np.exp(raw[d]), np.exp(raw[d + 1]) + 1e-6
    Kr = kernel(X, X, lam_, scale_) + noise_ * np.eye(len(y))
    try:
        m = stats.multivariate_normal(mean=np.zeros(len(y)), cov=Kr).logpdf(y)
    except (np.linalg.LinAlgError, ValueError):
        return 1e300
    prior = -(0.1 / lam_ + 0.1 * lam_).sum() + (math.log(scale_) - scale_) + (0.1 * math.log(noise_) - 30 * noise_)
    return -(m + prior)


fit_loss = None
if spec.get("fit"):
    d = X.shape[1]
    best = min((optimize.minimize(loss, x0, method="L-BFGS-B") for x0 in
                [np.zeros(d + 2), np.r_[np.zeros(d + 1), -3.0], np.r_[np.full(d, 1.0), 0.0, -8.0]]), key=lambda r: r.fun)
    fit_loss = float(best.fun)


def standard_logei(z):
    # log(z Phi(z) + phi(z)) = log phi(z) + log1p(z * Phi(z) / phi(z)), Phi/phi = sqrt(pi/2) erfcx(-z/sqrt2)
    r = math.sqrt(math.pi / 2) * special.erfcx(-z / math.sqrt(2))
    return -0.5 * z * z - 0.5 * math.log(2 * math.pi) + math.log1p(z * r) if z < 0 else math.log(z * special.ndtr(z) + math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi))


print(json.dumps({"mean": mean.tolist(), "var": var.tolist(), "mll": float(mll), "fit_loss": fit_loss,
                  "logei": [standard_logei(z) for z in spec["z"]]}))

"""SciPy's numerical building blocks that Optuna 4.5's GP acquisition optimiser runs on, as the
independent truth for ours: unscrambled Sobol' points (scipy.stats.qmc.Sobol), MINPACK-2's
dcsrch line search (the one inside L-BFGS-B), fmin_l_bfgs_b itself, and Brent's
minimize_scalar with a bracket. The test functions are written out here and in the test.

stdin: {"sobol": [{"d": int, "n": int}], "dcsrch": [{"fn": name, "stp0": s, "ftol": .., "gtol": ..,
        "xtol": .., "stpmax": ..}], "lbfgsb": [{"fn": name, "x0": [...], "bounds": [[lo, hi]] | null,
        "pgtol": p}], "brent": [{"fn": name, "bracket": [a, b, c], "tol": t}]}
stdout: the same lists with SciPy's results.
"""
import json
import math
import sys
import warnings

import numpy as np
from scipy import optimize
from scipy.stats import qmc

warnings.simplefilter("ignore")
from scipy.optimize import minpack2  # noqa: E402  (MINPACK-2's dcsrch, as L-BFGS-B's)

spec = json.load(sys.stdin)


def line_fn(name):
    """phi(a) and phi'(a) of Moré and Thuente's (1994) test functions."""
    if name == "mt1":  # -a / (a^2 + 2)
        return lambda a: (-a / (a * a + 2), (a * a - 2) / (a * a + 2) ** 2)
    if name == "mt2":  # (a + 0.004)^5 - 2 (a + 0.004)^4
        return lambda a: ((a + 0.004) ** 5 - 2 * (a + 0.004) ** 4, 5 * (a + 0.004) ** 4 - 8 * (a + 0.004) ** 3)
    if name == "mt4":  # Yanai, Ozawa and Kaneko with beta1 = beta2 = 0.001
        b1, b2 = 0.001, 0.001
        g1, g2 = math.sqrt(1 + b1 * b1) - b1, math.sqrt(1 + b2 * b2) - b2
        return lambda a: (
            g1 * math.sqrt((1 - a) ** 2 + b2 * b2) + g2 * math.sqrt(a * a + b1 * b1),
            -g1 * (1 - a) / math.sqrt((1 - a) ** 2 + b2 * b2) + g2 * a / math.sqrt(a * a + b1 * b1),
        )
    raise ValueError(name)


def dcsrch(case):
    phi = line_fn(case["fn"])
    f, g = phi(0.0)
    stp, task = case["stp0"], b"START"
    isave, dsave = np.zeros(2, np.intc), np.zeros(13, float)
    steps = []
    for _ in range(100):
        stp, f, g, task = minpack2.dcsrch(stp, f, g, case["ftol"], case["gtol"], case["xtol"], task, 0.0, case["stpmax"], isave, dsave)
        if task[:2] != b"FG":
            break
        steps.append(stp)
        f, g = phi(stp)
    return {"steps": steps, "stp": stp, "task": task.decode().strip()}


def objective(name):
    if name == "rosen2":
        return lambda x: (optimize.rosen(x), optimize.rosen_der(x))
    if name == "rosen5":
        return lambda x: (optimize.rosen(x), optimize.rosen_der(x))
    if name == "quad5":  # 1/2 (x - c)' A (x - c) with A = tridiag(-1, 4, -1) + diag(0..4), c = 1..5
        A = np.diag(4.0 + np.arange(5)) - np.eye(5, k=1) - np.eye(5, k=-1)
        c = np.arange(1.0, 6.0)
        return lambda x: (0.5 * (x - c) @ A @ (x - c), A @ (x - c))
    raise ValueError(name)


def lbfgsb(case):
    f = objective(case["fn"])
    bounds = case.get("bounds")
    x, fx, info = optimize.fmin_l_bfgs_b(f, np.array(case["x0"], float), bounds=bounds, pgtol=case["pgtol"])
    return {"x": x.tolist(), "f": float(fx), "nit": int(info["nit"]), "nfev": int(info["funcalls"]), "warnflag": int(info["warnflag"])}


def scalar_fn(name):
    if name == "quartic":
        return lambda x: (x - 0.3) ** 4 + 0.1 * (x - 0.3) ** 2
    if name == "cosine":
        return lambda x: -math.cos(3 * x) + 0.2 * x
    if name == "kinked":  # piecewise linear, as Optuna's interpolated acquisition
        grid = np.linspace(0.0, 1.0, 21)
        vals = np.sin(7 * grid) + (grid - 0.6) ** 2 * 3

        def f(x):
            if x < grid[0] or x > grid[-1]:
                return math.inf
            return float(np.interp(x, grid, vals))

        return f
    raise ValueError(name)


def brent(case):
    r = optimize.minimize_scalar(scalar_fn(case["fn"]), bracket=tuple(case["bracket"]), method="brent", tol=case["tol"])
    return {"x": float(r.x), "fun": float(r.fun), "nfev": int(r.nfev)}


out = {
    "sobol": [qmc.Sobol(c["d"], scramble=False).random(c["n"]).tolist() for c in spec.get("sobol", [])],
    "dcsrch": [dcsrch(c) for c in spec.get("dcsrch", [])],
    "lbfgsb": [lbfgsb(c) for c in spec.get("lbfgsb", [])],
    "brent": [brent(c) for c in spec.get("brent", [])],
}
json.dump(out, sys.stdout)

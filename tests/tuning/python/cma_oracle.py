"""cmaes 0.13's CMA on fixed inputs: its constants, the state after each tell of given
solutions, and get_warm_start_mgd; plus Optuna 4.9's _SearchSpaceTransform on given params.

Run with ../shared/peers/optuna4/python.sh (cmaes 0.13.1 and Optuna 4.9 importable).
stdin: {"cma": {"mean", "sigma", "bounds", "popsize", "cov", "generations": [[[x...], value]...]},
        "warm": [[[x...], value]...], "transform": {"space": {name: dist_json}, "params": [{...}],
        "vectors": [[...]]}}
stdout: {"constants": {...}, "states": [{"mean", "sigma", "C", "p_sigma", "pc", "should_stop"}],
         "warm": {"mean", "sigma", "cov"}, "transform": {"bounds", "transformed", "untransformed"}}
"""
import json
import sys

import cmaes
import numpy as np
from cmaes import CMA, get_warm_start_mgd
from optuna._transform import _SearchSpaceTransform
from optuna.distributions import json_to_distribution

assert cmaes.__version__ == "0.13.1", cmaes.__version__
spec = json.load(sys.stdin)
c = spec["cma"]
cma = CMA(mean=np.array(c["mean"]), sigma=c["sigma"], bounds=np.array(c["bounds"]), population_size=c["popsize"],
          cov=np.array(c["cov"]) if c["cov"] is not None else None, seed=1)
out = {"constants": {"mu": cma._mu, "mu_eff": cma._mu_eff, "weights": cma._weights.tolist(), "cc": cma._cc, "c1": cma._c1,
                     "cmu": cma._cmu, "c_sigma": cma._c_sigma, "d_sigma": cma._d_sigma, "chi_n": cma._chi_n}, "states": []}
for gen in c["generations"]:
    cma.tell([(np.array(x), v) for x, v in gen])
    out["states"].append({"mean": cma._mean.tolist(), "sigma": float(cma._sigma), "C": cma._C.tolist(),
                          "p_sigma": cma._p_sigma.tolist(), "pc": cma._pc.tolist(), "should_stop": bool(cma.should_stop())})
mean, sigma, cov = get_warm_start_mgd([(np.array(x), v) for x, v in spec["warm"]])
out["warm"] = {"mean": mean.tolist(), "sigma": sigma, "cov": cov.tolist()}
t = spec["transform"]
trans = _SearchSpaceTransform({k: json_to_distribution(v) for k, v in t["space"].items()}, transform_step=True, transform_0_1=True)
out["transform"] = {"bounds": trans._raw_bounds.tolist(), "transformed": [trans.transform(p).tolist() for p in t["params"]],
                    "untransformed": [trans.untransform(np.array(v)) for v in t["vectors"]]}
print(json.dumps(out))

"""The original Python project's hyper_opt.py (../shared/peers) with another Optuna sampler.

Runs hyper_opt.main() unchanged except that its `TPESampler(seed=SEED)` becomes the sampler
named by --sampler (tpe, gp, cmaes, random) with --sampler-seed; run it with the Optuna
version wanted (../shared/peers/optuna4/python.sh, OPTUNA_PEER_VERSION=4.5.0 for gp).
The data split, folds and XGBoost seed stay hyper_opt.py's (42).

usage: python hyper_opt_sampler.py --sampler gp --sampler-seed 3 [--nthread 1] CSV --trials 50
       --base-score mean --no-tree-method-compare

--nthread sets XGBoost's threads (hyper_opt.py's NTHREAD, 2 by default), so that several studies
can share a machine one core each without OpenMP threads spinning against each other.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
peers = os.path.join(here, "..", "..", "..", "shared", "peers")
sys.path.insert(0, os.path.abspath(peers))

import optuna  # noqa: E402

args = sys.argv[1:]
name = args[args.index("--sampler") + 1]
seed = int(args[args.index("--sampler-seed") + 1])
nthread = int(args[args.index("--nthread") + 1]) if "--nthread" in args else None
for flag in ("--sampler", "--sampler-seed", "--nthread"):
    if flag in args:
        i = args.index(flag)
        del args[i:i + 2]
factories = {
    "tpe": optuna.samplers.TPESampler,
    "gp": getattr(optuna.samplers, "GPSampler", None),
    "cmaes": optuna.samplers.CmaEsSampler,
    "random": optuna.samplers.RandomSampler,
}
factory = factories[name]
if factory is None:
    raise SystemExit(f"Optuna {optuna.__version__} has no {name} sampler")
optuna.samplers.TPESampler = lambda seed_ignored=None, **_: factory(seed=seed)
sys.argv = [os.path.join(peers, "hyper_opt.py")] + args

import hyper_opt  # noqa: E402

if nthread is not None:
    hyper_opt.NTHREAD = nthread
    hyper_opt.FIXED_PARAMS["nthread"] = nthread
hyper_opt.main()

"""The original Python project's simple_trainer.py with joblib's worker pool started first.

simple_trainer.py runs each model's 5-fold cross_validate with n_jobs=-1: the first model (Ridge)
pays for starting joblib's loky worker processes and for the workers importing scikit-learn, and
the later models reuse them. bench/trainer.mjs reports each model's time without worker start-up
on both sides, and the start-up apart. So this wrapper starts the pool before the models (a few
tasks that import what the folds will need, until every worker has run one), times that as
`pool_start_s`, then runs simple_trainer.main() unchanged and adds to its JSON `pool_start_s`,
`pool_pids` and `pool_reused` (true when the models' folds ran on the very same worker processes).

usage: /usr/bin/python3 simple_trainer_bench.py CSV
"""
import contextlib
import io
import json
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
peers = os.path.abspath(os.path.join(here, "..", "..", "..", "shared", "peers"))
sys.path.insert(0, peers)

import simple_trainer  # noqa: E402
from joblib import Parallel, cpu_count, delayed  # noqa: E402


def _import_fold_modules():
    import sklearn.ensemble  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.metrics  # noqa: F401
    import sklearn.model_selection._validation  # noqa: F401
    import sklearn.neighbors  # noqa: F401
    import sklearn.svm  # noqa: F401
    return os.getpid()


def worker_pids():
    return set(Parallel(n_jobs=-1)(delayed(_import_fold_modules)() for _ in range(2 * cpu_count())))


t0 = time.perf_counter()
pids = worker_pids()
for _ in range(5):  # until every worker has imported the modules (loky hands tasks to idle workers)
    if len(pids) >= cpu_count():
        break
    pids |= worker_pids()
pool_start_s = time.perf_counter() - t0

captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    simple_trainer.main(sys.argv[1])
out = json.loads(captured.getvalue())
after = worker_pids()
out["pool_start_s"] = round(pool_start_s, 3)
out["pool_pids"] = sorted(pids)
out["pool_reused"] = after <= pids
print(json.dumps(out, indent=1, ensure_ascii=False))

"""The original Python project's hyper_opt.py (../shared/peers) doing the same work as our `tune`.

bench/tuning.mjs times it from spawn to exit against `mlflow-demo-ts tune --no-tracking`. It runs
hyper_opt.main() unchanged (data, study, the final model on the best parameters and its holdout
figures) except its final `train_and_evaluate`, which our `tune` does not match in two places:
- hyper_opt.py trains a second holdout model on the best trial's parameters alone
  (`holdout_original_params_only`, XGBoost's defaults otherwise); ours trains one. Skipped here
  (its entry records that it was skipped).
- hyper_opt.py also predicts the training split for train metrics; ours predicts the holdout only.
  Here the final model predicts the holdout only, as ours does.

usage: /usr/bin/python3 hyper_opt_bench.py CSV --trials 20 --no-tree-method-compare --base-score mean
"""
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
peers = os.path.abspath(os.path.join(here, "..", "..", "..", "shared", "peers"))
sys.path.insert(0, peers)
sys.argv[0] = os.path.join(peers, "hyper_opt.py")

import xgboost as xgb  # noqa: E402

import hyper_opt  # noqa: E402

calls = []


def train_and_evaluate_holdout_only(params, dtrain, dtest, y_train, y_test):
    calls.append(params)
    if len(calls) > 1:
        return {"skipped": "bench/python/hyper_opt_bench.py: ours trains one final model"}
    t0 = time.perf_counter()
    model = xgb.train(params=params, dtrain=dtrain, num_boost_round=hyper_opt.NUM_BOOST_ROUND)
    return {"params": params, "train_s": round(time.perf_counter() - t0, 3),
            "test": hyper_opt.metrics(y_test, model.predict(dtest))}


hyper_opt.train_and_evaluate = train_and_evaluate_holdout_only
hyper_opt.main()

#!/usr/bin/python3
"""Writes the XGBoost reference cases the boosting tests compare against, with Debian's
python3-xgboost (1.7.4), so that a clone without ../shared still has independent truth.

  /usr/bin/python3 scripts/reference/xgb_exact.py OUT_DIR            # the project's own cases
  /usr/bin/python3 scripts/reference/xgb_exact.py OUT_DIR --from DIR # recompute DIR's cases
                                                                      # (same data and params)

Each case is one JSON file: the data (integer features 0..19, so that the histogram cuts are
exact), the booster parameters, XGBoost's predictions, its per-round eval RMSE and its own model
JSON. The layout is that of ../shared/reference/xgb_exact, so one loader reads both.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb

BASE = {"objective": "reg:squarederror", "tree_method": "hist", "max_bin": 256, "subsample": 1.0,
        "colsample_bytree": 1.0, "nthread": 1, "eval_metric": "rmse"}
CASES = {
    "defaults_10_rounds": ({"eta": 0.3, "max_depth": 6}, 10),
    "deep_small_eta_30_rounds": ({"eta": 0.05, "max_depth": 8, "min_child_weight": 2, "reg_lambda": 0.5}, 30),
    "max_delta_step_10_rounds": ({"eta": 0.5, "max_depth": 4, "max_delta_step": 0.7}, 10),
    "regularised_20_rounds": ({"eta": 0.1, "max_depth": 3, "gamma": 50.0, "min_child_weight": 5, "reg_alpha": 0.5, "reg_lambda": 2.0}, 20),
}


def make_data(seed=20240614):
    """Integer features and a target with interactions, a threshold effect and noise."""
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 20, size=(500, 5)).astype(float)
    y = (4.0 * X[:, 0] + 0.3 * X[:, 1] * X[:, 2] - 2.5 * X[:, 3] + 30.0 * (X[:, 4] > 12)
         + rng.normal(0.0, 8.0, size=500))
    return X[:400], y[:400], X[400:], y[400:]


def run_case(params, rounds, X_train, y_train, X_test, y_test):
    dtrain = xgb.DMatrix(np.array(X_train, dtype=float), label=np.array(y_train, dtype=float))
    dtest = xgb.DMatrix(np.array(X_test, dtype=float), label=np.array(y_test, dtype=float))
    evals = {}
    booster = xgb.train(params, dtrain, num_boost_round=rounds, evals=[(dtrain, "train"), (dtest, "test")],
                        evals_result=evals, verbose_eval=False)
    return {
        "params": params,
        "num_boost_round": rounds,
        "note": "base_score given explicitly (mean of y_train) so the case does not depend on the xgboost "
                "version's intercept default; predictions are float32 in xgboost",
        "X_train": [list(map(float, r)) for r in X_train],
        "y_train": [float(v) for v in y_train],
        "X_test": [list(map(float, r)) for r in X_test],
        "y_test": [float(v) for v in y_test],
        "pred_train": [float(v) for v in booster.predict(dtrain)],
        "pred_test": [float(v) for v in booster.predict(dtest)],
        "eval_rmse": {"train": [float(v) for v in evals["train"]["rmse"]], "test": [float(v) for v in evals["test"]["rmse"]]},
        "xgboost_model_json": json.loads(booster.save_raw("json").decode()),
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "xgboost": xgb.__version__},
    }


def write(out_dir, name, case):
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(case, f)


def main(argv):
    if len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--from"):
        sys.exit(__doc__)
    out_dir = argv[0]
    os.makedirs(out_dir, exist_ok=True)
    if len(argv) == 3:
        for file in sorted(os.listdir(argv[2])):
            if file.endswith(".json"):
                with open(os.path.join(argv[2], file)) as f:
                    given = json.load(f)
                case = run_case(given["params"], given["num_boost_round"], given["X_train"], given["y_train"],
                                given["X_test"], given["y_test"])
                write(out_dir, file[:-len(".json")], case)
        return
    X_train, y_train, X_test, y_test = make_data()
    for name, (extra, rounds) in CASES.items():
        params = dict(BASE, base_score=float(np.mean(y_train)), **extra)
        write(out_dir, name, run_case(params, rounds, X_train, y_train, X_test, y_test))


if __name__ == "__main__":
    main(sys.argv[1:])

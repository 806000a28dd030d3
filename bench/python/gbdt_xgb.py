"""XGBoost's side of bench/gbdt.mjs, in a process of its own (Debian's /usr/bin/python3).

Reads the matrices the driver wrote (float64, row-major, as the data comes from preprocessing), then
  --mode once:  one timed training, one JSON line, exit (the cold regime: the timer includes
                XGBoost's OpenMP thread pool start on its first parallel region);
  --mode serve: one untimed warm-up training ({"warmup_s"}), then one timed training per line read
                on stdin, one JSON line each (the warm regime);
  --mode probe: a first and a second training in this fresh process, each timed apart (how much
                of the first one is first-use cost: the OpenMP pool, allocations); not a ratio.
Inside the timer, as on our side: the DMatrix from the float64 rows (XGBoost converts to float32
while copying them; cut points are sketched by the first round) and the training. Outside:
importing numpy and xgboost, reading the files, the test predictions for the RMSE.
"""
import argparse
import json
import sys
import time

import numpy as np
import xgboost as xgb

ap = argparse.ArgumentParser()
for name in ("dir", "rows", "cols", "rows-test", "nthread", "rounds"):
    ap.add_argument("--" + name, required=True)
ap.add_argument("--mode", default="once")
args = ap.parse_args()
rows, cols, rows_te, nt, rounds = int(args.rows), int(args.cols), int(args.rows_test), int(args.nthread), int(args.rounds)
X = np.fromfile(args.dir + "/X.f64").reshape(rows, cols)
y = np.fromfile(args.dir + "/y.f64")
Xt = np.fromfile(args.dir + "/Xte.f64").reshape(rows_te, cols)
yt = np.fromfile(args.dir + "/yte.f64")
P = {"objective": "reg:squarederror", "eta": 0.1, "max_depth": 6, "subsample": 1, "colsample_bytree": 1,
     "min_child_weight": 1, "lambda": 1, "alpha": 0, "tree_method": "hist", "max_bin": 256, "verbosity": 0,
     "nthread": nt, "base_score": 0.5}


def timed_training():
    t0 = time.perf_counter()
    dm = xgb.DMatrix(X, label=y, nthread=nt)
    model = xgb.train(P, dm, num_boost_round=rounds)
    seconds = time.perf_counter() - t0
    p = model.predict(xgb.DMatrix(Xt, nthread=nt)).astype(np.float64)
    return {"seconds": seconds, "rmse": float(np.sqrt(np.mean((p - yt) ** 2)))}


def say(obj):
    print(json.dumps(obj), flush=True)


if args.mode == "probe":
    say({"first_s": timed_training()["seconds"], "second_s": timed_training()["seconds"]})
    sys.exit(0)
if args.mode == "once":
    say(timed_training())
    sys.exit(0)
say({"warmup_s": timed_training()["seconds"], "xgboost": xgb.__version__})
for line in sys.stdin:
    if line.strip() == "train":
        say(timed_training())

"""Runs every MLflow 3.6 side of tests/mlflow3/mlflow3Server.test.ts in one process (importing
MLflow, scikit-learn and pydantic is most of a Python call here): the client scenario against
each server, the FileStore interoperability both ways, then, once the test has run our CLI
against the real server and written <holdout.json>, what MLflow 3 sees of our models.
Usage: python-pyd2.sh mlflow3_peer_driver.py <job.json>; prints one JSON line."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import mlflow3_client_scenario  # noqa: E402
import mlflow3_filestore_interop  # noqa: E402
import mlflow3_find_our_models  # noqa: E402

job = json.load(open(sys.argv[1]))
out = {"scenario": mlflow3_client_scenario.run(job["scenario"]), "filestore": mlflow3_filestore_interop.run(*job["filestore"])}
find = job["find"]
deadline = time.time() + find["wait_seconds"]
while not os.path.exists(find["holdout"]) and time.time() < deadline:
    time.sleep(0.5)
holdout = json.load(open(find["holdout"])) if os.path.exists(find["holdout"]) else {"error": "the test wrote no holdout file in time"}
if "error" in holdout:
    out["find"] = {"error": holdout["error"]}
else:
    out["find"] = mlflow3_find_our_models.run(find["uri"], find["train"], find["tune"], find["registered"], find["holdout"])
print(json.dumps(out, sort_keys=True))

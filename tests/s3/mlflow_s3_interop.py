"""The real MLflow 2.17.2 client against our tracking server with artifacts in S3.

Reads JSON on stdin: {"ours": {"proxied": RUN_ID, "direct": RUN_ID}, "models": [NAME, ...],
"work": DIR, "direct_root": "s3://bucket/prefix"}. With MLFLOW_TRACKING_URI (and credentials)
and MLFLOW_S3_ENDPOINT_URL + AWS_* in the environment it
  1. downloads the runs and registered models we logged (through the proxy and from S3
     directly with boto3) and reports every file's sha256 and each MLmodel's flavors;
  2. logs its own runs, proxied and direct: a small file, a 9 MiB file (multipart for boto3),
     a folder, and a scikit-learn model saved locally and then logged and registered;
     it reports the sha256 of the local files it logged (the truth our side checks).
Prints one JSON object.
"""
import hashlib
import json
import os
import sys

import mlflow
import mlflow.sklearn
import numpy as np
from mlflow.models import Model
from sklearn.linear_model import LinearRegression


def sums(root):
    out = {}
    for base, _, files in os.walk(root):
        for name in files:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as f:
                out[rel] = hashlib.sha256(f.read()).hexdigest()
    return out


def main():
    spec = json.load(sys.stdin)
    work = spec["work"]
    result = {"read": {}, "models": {}, "wrote": {}}

    for mode, run_id in spec["ours"].items():
        dst = os.path.join(work, "py-read-" + mode)
        os.makedirs(dst)
        local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="", dst_path=dst)
        run = mlflow.get_run(run_id)
        result["read"][mode] = {"artifact_uri": run.info.artifact_uri, "files": sums(local)}

    for name in spec["models"]:
        uri = "models:/%s/1" % name
        model = Model.load(uri)
        dst = os.path.join(work, "py-model-" + name)
        os.makedirs(dst)
        local = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=dst)
        result["models"][name] = {"flavors": sorted(model.flavors), "run_id": model.run_id, "files": sums(local)}

    rng = np.random.default_rng(7)
    for mode in ("proxied", "direct"):
        src = os.path.join(work, "py-src-" + mode)
        os.makedirs(os.path.join(src, "folder", "inner"))
        with open(os.path.join(src, "small.txt"), "w") as f:
            f.write("written by MLflow %s, %s\n" % (mlflow.__version__, mode))
        with open(os.path.join(src, "big.bin"), "wb") as f:
            f.write(rng.bytes(9 * 1024 * 1024))
        with open(os.path.join(src, "folder", "inner", "a.csv"), "w") as f:
            f.write("x,y\n1,2\n")
        # s3rver lists a folder holding only sub-folders as nothing (real S3 lists it): give it a file.
        with open(os.path.join(src, "folder", "top.txt"), "w") as f:
            f.write("top\n")
        X = rng.normal(size=(20, 3))
        y = X @ np.array([1.0, -2.0, 0.5]) + 3.0
        model_dir = os.path.join(work, "py-model-src-" + mode)
        mlflow.sklearn.save_model(LinearRegression().fit(X, y), model_dir)

        name = "py-" + mode
        if mode == "direct":
            experiment_id = mlflow.create_experiment(name, artifact_location=spec["direct_root"] + "/py")
        else:
            experiment_id = mlflow.create_experiment(name)
        with mlflow.start_run(experiment_id=experiment_id) as run:
            mlflow.log_artifact(os.path.join(src, "small.txt"))
            mlflow.log_artifact(os.path.join(src, "big.bin"), "data")
            mlflow.log_artifacts(os.path.join(src, "folder"), "folder")
            mlflow.log_artifacts(model_dir, "model")
        registered = "py_model_" + mode
        mlflow.register_model("runs:/%s/model" % run.info.run_id, registered)
        logged = {}
        for rel, digest in sums(src).items():
            logged[{"small.txt": "small.txt", "big.bin": "data/big.bin"}.get(rel, rel)] = digest
        result["wrote"][mode] = {
            "run_id": run.info.run_id,
            "experiment_id": experiment_id,
            "artifact_uri": run.info.artifact_uri,
            "files": logged,
            "model": sums(model_dir),
            "registered": registered,
        }
    print(json.dumps(result))


main()

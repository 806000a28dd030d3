"""What MLflow 3's Python client sees of the models our CLI logged to an MLflow 3 server:
the logged models of the trainer's and the tuner's experiments (found by
search_logged_models), their runs' outputs and dataset inputs, the champion version and
its link to its logged model; and, when the champion has the python_function flavor,
whether pyfunc.load_model predicts what we predicted on the holdout (from the preprocessed
features, which MLflow's xgboost flavor takes).
Run by mlflow3_peer_driver.py (`run(uri, train, tune, registered, holdout_file)`)."""
import json
import os

os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")

import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402

def inputs_of(run):
    out = []
    for i in run.inputs.dataset_inputs:
        context = [t.value for t in i.tags if t.key == "mlflow.data.context"]
        out.append([i.dataset.name, context[0] if context else None])
    return sorted(out)


def models_of(client, experiment_name):
    experiment = client.get_experiment_by_name(experiment_name)
    models = mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], output_format="list")
    out = []
    for m in models:
        run = client.get_run(m.source_run_id)
        out.append({
            "name": m.name,
            "model_id": m.model_id,
            "status": str(m.status),
            "run_name": run.info.run_name,
            "outputs": [o.model_id for o in (run.outputs.model_outputs if run.outputs else []) if o.model_id == m.model_id],
            "has_mlmodel": any(a.path == "MLmodel" for a in client.list_logged_model_artifacts(m.model_id)),
            "metrics": sorted({x.key for x in (m.metrics or [])}),
            "versions": json.loads(m.tags.get("mlflow.modelVersions", "[]")),
            "inputs": inputs_of(run),
        })
    return out


def run(uri, train_name, tune_name, registered, holdout_file):
    """What MLflow 3 sees of the trainer's and tuner's models on the server at <uri>."""
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()
    alias = client.get_model_version_by_alias(registered, "champion")
    champion_model = mlflow.models.Model.load(f"models:/{registered}@champion")
    champion = {"source": alias.source, "version": str(alias.version), "flavors": sorted(champion_model.flavors)}
    if "python_function" in champion_model.flavors:
        import numpy as np
        import pandas as pd

        holdout = json.load(open(holdout_file))
        split = holdout["features_split"]
        predicted = mlflow.pyfunc.load_model(f"models:/{registered}@champion").predict(pd.DataFrame(split["data"], columns=split["columns"]))
        champion["pyfunc"] = bool(np.allclose(np.asarray(predicted, dtype=float), np.asarray(holdout["predictions"]), rtol=1e-6))
    else:
        champion["pyfunc"] = "no python_function flavor"

    return {"train": models_of(client, train_name), "tune": models_of(client, tune_name), "champion": champion}

"""MLflow 3's FileStore and our FileStore, both ways, logged models included.
Reads the store we wrote at <ours> (runs, outputs, dataset inputs, logged models with their
params, tags and metrics, the registry version made from a logged model, the MLmodel of the
model) and prints what MLflow 3 sees; then writes <theirs> with MLflow 3 itself
(sklearn log_model as a logged model, registered; a dataset input; a metric linked to the
model on a dataset) and prints what it wrote, for our FileStore to read back.
Run by mlflow3_peer_driver.py (`run(ours, theirs)`)."""
import os

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"

import numpy as np  # noqa: E402
import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402



def model_view(m):
    return {
        "model_id": m.model_id, "name": m.name, "status": str(m.status), "source_run_id": m.source_run_id,
        "experiment_id": m.experiment_id, "artifact_location": m.artifact_location, "model_type": m.model_type,
        "tags": dict(sorted(m.tags.items())), "params": dict(sorted(m.params.items())),
        "metrics": sorted([[x.key, x.value, x.step, x.run_id, x.dataset_name, x.dataset_digest] for x in (m.metrics or [])]),
    }


def inputs_view(run):
    return sorted([[i.dataset.name, i.dataset.digest, i.dataset.source_type, i.dataset.source, i.dataset.schema, i.dataset.profile,
                    sorted([t.key, t.value] for t in i.tags)] for i in run.inputs.dataset_inputs])


def run(ours, theirs):
    """Reads <ours> with MLflow 3, writes <theirs> with MLflow 3; what it saw and wrote."""
    # ---------------------------------------------------------------- ours, read by MLflow 3
    mlflow.set_tracking_uri("file://" + ours)
    client = MlflowClient()
    experiment = client.get_experiment_by_name("interop")
    read = {"models": [model_view(m) for m in mlflow.search_logged_models(experiment_ids=[experiment.experiment_id], output_format="list")]}
    runs = client.search_runs([experiment.experiment_id])
    read["runs"] = [{"run_id": r.info.run_id, "outputs": sorted([o.model_id, o.step] for o in r.outputs.model_outputs),
                     "inputs": inputs_view(r), "metrics": dict(r.data.metrics)} for r in runs]
    version = client.get_model_version("interop-model", "1")
    read["version"] = {"source": version.source, "run_id": version.run_id, "download_uri": client.get_model_version_download_uri("interop-model", "1")}
    model_id = read["models"][0]["model_id"]
    loaded = mlflow.models.Model.load(f"models:/{model_id}")
    read["mlmodel"] = {"model_id": loaded.model_id, "model_uuid": loaded.model_uuid, "run_id": loaded.run_id,
                       "artifact_path": loaded.artifact_path, "mlflow_version": loaded.mlflow_version, "flavors": sorted(loaded.flavors)}
    read["artifacts"] = sorted(a.path for a in client.list_logged_model_artifacts(model_id))
    read["filtered"] = [m.name for m in mlflow.search_logged_models(
        experiment_ids=[experiment.experiment_id], filter_string="params.alpha = '1'", output_format="list")]

    # ---------------------------------------------------------------- theirs, written by MLflow 3
    mlflow.set_tracking_uri("file://" + theirs)
    client = MlflowClient()
    mlflow.set_experiment("theirs")
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]])
    y = X @ np.array([1.0, 2.0])
    holdout = mlflow.data.from_numpy(X, targets=y, name="holdout")
    with mlflow.start_run() as run:
        mlflow.log_param("alpha", "0.1")
        mlflow.log_metric("rmse", 0.5)
        mlflow.log_input(holdout, context="eval")
        info = mlflow.sklearn.log_model(LinearRegression().fit(X, y), name="model", registered_model_name="theirs-model", pip_requirements=["scikit-learn"])
        mlflow.log_metric("mae", 0.25, model_id=info.model_id, dataset=holdout)
    wrote = {
        "run_id": run.info.run_id,
        "model": model_view(client.get_logged_model(info.model_id)),
        "inputs": inputs_view(client.get_run(run.info.run_id)),
        "download_uri": client.get_model_version_download_uri("theirs-model", "1"),
        "version_source": client.get_model_version("theirs-model", "1").source,
    }
    return {"read": read, "wrote": wrote}

"""What MLflow 3's Python client does with logged models against a tracking server, as
normalised JSON (ids replaced by their order of appearance, timestamps dropped), so that the
same script's output against the real MLflow 3.6 server and against ours can be compared
field by field.
Run by mlflow3_peer_driver.py (`run(uris)`)."""
import json
import os
import re

# The real server answers 500 for a run artifact that is not there (runs:/ of a logged model);
# without this the client retries for minutes before it falls back to the logged model.
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")

import numpy as np  # noqa: E402
import mlflow  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import LoggedModelStatus  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402

# Given, so that log_model does not infer them in a subprocess (seconds per model).
REQUIREMENTS = ["scikit-learn"]
ids = {}


def norm(value):
    """Replaces run and model ids by placeholders (numbered by first appearance)."""
    if isinstance(value, dict):
        return {norm(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    if isinstance(value, str):
        for real, name in sorted(ids.items(), key=lambda kv: -len(kv[0])):
            value = value.replace(real, name)
        return value
    return value


def location(uri):
    """An artifact URI with its experiment id replaced: servers number experiments in the order they are made."""
    return re.sub(r"^mlflow-artifacts:/\d+/", "mlflow-artifacts:/<exp>/", uri)


def remember(kind, real):
    if real and real not in ids:
        ids[real] = f"<{kind}{sum(1 for n in ids.values() if n.startswith('<' + kind))}>"
    return real


def model_json(m):
    return {
        "model_id": m.model_id,
        "name": m.name,
        "artifact_location": location(m.artifact_location),
        "status": str(m.status),
        "status_message": m.status_message,
        "model_type": m.model_type,
        "source_run_id": m.source_run_id,
        "tags": {k: v for k, v in sorted(m.tags.items()) if k != "mlflow.source.name"},
        "params": dict(sorted(m.params.items())),
        "metrics": sorted(
            [
                {"key": x.key, "value": x.value, "step": x.step, "run_id": x.run_id, "model_id": x.model_id,
                 "dataset_name": x.dataset_name, "dataset_digest": x.dataset_digest}
                for x in (m.metrics or [])
            ],
            key=lambda d: (d["key"], d["step"], d["value"]),
        ),
        "model_uri": m.model_uri,
    }


def version_json(v):
    return {
        "name": v.name, "version": str(v.version), "source": v.source, "run_id": v.run_id, "status": v.status,
        "current_stage": v.current_stage, "aliases": sorted(v.aliases), "model_id": v.model_id, "tags": dict(v.tags),
    }


def error_of(fn):
    try:
        fn()
    except MlflowException as e:
        return e.error_code
    return None


def run_scenario(uri):
    """The scenario against one server; its results with ids normalised."""
    mlflow.set_tracking_uri(uri)
    ids.clear()
    client = MlflowClient()
    out = {}
    experiment_id = mlflow.set_experiment("scenario").experiment_id
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 2.0]])
    y = X @ np.array([1.5, -2.0]) + 3.0
    regressor = LinearRegression().fit(X, y)
    expected = regressor.predict(X)
    holdout = mlflow.data.from_numpy(X, targets=y, name="holdout")

    with mlflow.start_run() as run:
        run_id = remember("run", run.info.run_id)
        mlflow.log_param("alpha", "0.5")
        mlflow.log_metric("rmse", 0.25)
        mlflow.log_metric("rmse", 0.125, step=1)
        info = mlflow.sklearn.log_model(regressor, name="model", registered_model_name="scenario-model", input_example=X[:2], pip_requirements=REQUIREMENTS)
        remember("model", info.model_id)
        info2 = mlflow.sklearn.log_model(regressor, name="model2", step=1, params={"k": "v"}, tags={"team": "ml"}, model_type="regressor", pip_requirements=REQUIREMENTS)
        remember("model", info2.model_id)
        mlflow.log_metric("mae", 0.5, model_id=info2.model_id, dataset=holdout)

    out["model_info"] = {"model_uri": info.model_uri, "model_id": info.model_id, "registered_version": info.registered_model_version,
                         "id_shape": bool(re.fullmatch(r"m-[0-9a-f]{32}", info.model_id))}
    out["models"] = [model_json(client.get_logged_model(i)) for i in (info.model_id, info2.model_id)]
    finished = client.get_run(run_id)
    out["run_outputs"] = sorted([(o.step, o.model_id) for o in (finished.outputs.model_outputs if finished.outputs else [])])
    out["run_metrics"] = {k: [(m.value, m.step) for m in client.get_metric_history(run_id, k)] for k in sorted(finished.data.metrics)}
    out["version_1"] = version_json(client.get_model_version("scenario-model", "1"))
    out["download_uri_1"] = location(client.get_model_version_download_uri("scenario-model", "1"))

    client.set_registered_model_alias("scenario-model", "champion", "1")
    predictions = {}
    for uri in (f"models:/{info.model_id}", f"runs:/{run_id}/model", "models:/scenario-model@champion", "models:/scenario-model/1"):
        predictions[uri] = bool(np.allclose(mlflow.pyfunc.load_model(uri).predict(X), expected))
    out["pyfunc_predicts"] = predictions

    searches = {}
    for f in ("name = 'model'", "metrics.rmse < 0.2", "metrics.rmse >= 0.2", "params.k = 'v'", "tags.team = 'ml'",
              "model_type = 'regressor'", "name LIKE 'model%'", "name IN ('model2', 'other')"):
        searches[f] = [m.name for m in mlflow.search_logged_models(filter_string=f, output_format="list")]
    searches["datasets holdout"] = [m.name for m in mlflow.search_logged_models(datasets=[{"dataset_name": "holdout"}], output_format="list")]
    searches["datasets other"] = [m.name for m in mlflow.search_logged_models(datasets=[{"dataset_name": "other"}], output_format="list")]
    searches["mae on holdout"] = [m.name for m in mlflow.search_logged_models(
        filter_string="metrics.mae < 1", datasets=[{"dataset_name": "holdout", "dataset_digest": holdout.digest}], output_format="list")]
    searches["order name desc"] = [m.name for m in mlflow.search_logged_models(order_by=[{"field_name": "name", "ascending": False}], output_format="list")]
    page1 = client.search_logged_models([experiment_id], max_results=1, order_by=[{"field_name": "name"}])
    page2 = client.search_logged_models([experiment_id], max_results=1, order_by=[{"field_name": "name"}], page_token=page1.token)
    searches["pages"] = [[m.name for m in page1], [m.name for m in page2], page2.token is None]
    searches["bad entity"] = error_of(lambda: mlflow.search_logged_models(filter_string="metric.rmse < 1", output_format="list"))
    out["searches"] = searches

    version_2 = mlflow.register_model(f"models:/{info2.model_id}", "scenario-model")
    out["version_2"] = version_json(version_2)
    out["download_uri_2"] = location(client.get_model_version_download_uri("scenario-model", version_2.version))
    out["model2_versions_tag"] = json.loads(client.get_logged_model(info2.model_id).tags.get("mlflow.modelVersions", "[]"))

    external = mlflow.initialize_logged_model(name="ext", experiment_id=experiment_id, tags={"a": "1", "b": "2"}, params={"p": "x"})
    remember("model", external.model_id)
    lifecycle = {"created": str(external.status)}
    mlflow.set_logged_model_tags(external.model_id, {"c": "3"})
    mlflow.delete_logged_model_tag(external.model_id, "a")
    lifecycle["tags"] = dict(sorted((k, v) for k, v in client.get_logged_model(external.model_id).tags.items() if not k.startswith("mlflow.")))
    lifecycle["delete missing tag"] = error_of(lambda: mlflow.delete_logged_model_tag(external.model_id, "zz"))
    lifecycle["finalized"] = str(mlflow.finalize_logged_model(external.model_id, LoggedModelStatus.READY).status)
    lifecycle["failed"] = str(mlflow.finalize_logged_model(external.model_id, LoggedModelStatus.FAILED).status)
    client.delete_logged_model(external.model_id)
    lifecycle["get deleted"] = error_of(lambda: client.get_logged_model(external.model_id))
    lifecycle["search after delete"] = sorted(m.name for m in mlflow.search_logged_models(output_format="list"))
    lifecycle["get missing"] = error_of(lambda: client.get_logged_model("m-" + "0" * 32))
    out["lifecycle"] = lifecycle
    return norm(out)


def run(uris):
    """The scenario against each server, in order."""
    return {uri: run_scenario(uri) for uri in uris}

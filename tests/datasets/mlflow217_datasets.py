"""MLflow 2.17.2 and our datasets, every way at once (one process: importing MLflow is most
of the time):
- reads the runs and dataset inputs of our FileStore <ours> and filters them with
  `datasets.*` clauses (MLflow's FileStore search is the reference);
- writes <theirs> with `mlflow.log_input` of `from_pandas` datasets, for us to read;
- on our server <server>: reads what our client logged there, logs a dataset input with
  MLflow's client, and filters runs with the same clauses;
- on the real MLflow 2.17 server <real>: reads what our client logged there (datasets, and
  the model it logged the MLflow 2 way after finding no logged-models endpoint);
- the profile and schema names MLflow gives the sample CSV read with pandas.
Usage: python.sh mlflow217_datasets.py <ours> <theirs> <server> <real> <sample.csv> <filters.json>"""
import json
import sys

import mlflow
import pandas as pd
from mlflow import MlflowClient

ours, theirs, server, real, sample_csv, filters_file = sys.argv[1:7]
filters = json.load(open(filters_file))


def inputs_view(run):
    return sorted([[i.dataset.name, i.dataset.digest, i.dataset.source_type, i.dataset.source, i.dataset.schema, i.dataset.profile,
                    sorted([t.key, t.value] for t in i.tags)] for i in run.inputs.dataset_inputs])


def runs_view(client, experiment_name):
    experiment = client.get_experiment_by_name(experiment_name)
    runs = client.search_runs([experiment.experiment_id])
    return {
        "runs": {r.info.run_name: inputs_view(r) for r in runs},
        "filtered": {f: sorted(r.info.run_name for r in client.search_runs([experiment.experiment_id], filter_string=f)) for f in filters},
    }


out = {}
ours_client = MlflowClient("file://" + ours)
out["ours"] = runs_view(ours_client, "datasets")

theirs_client = MlflowClient("file://" + theirs)
mlflow.set_tracking_uri("file://" + theirs)
mlflow.set_experiment("theirs")
frame = pd.read_csv(sample_csv)
with mlflow.start_run(run_name="logged-by-mlflow") as run:
    mlflow.log_input(mlflow.data.from_pandas(frame, source=sample_csv, name="olx"), context="train", tags={"owner": "python"})
    mlflow.log_input(mlflow.data.from_pandas(frame.head(10), name="olx-head"), context="eval")
out["theirs"] = {"run_id": run.info.run_id, "inputs": inputs_view(theirs_client.get_run(run.info.run_id))}

mlflow.set_tracking_uri(server)
server_client = MlflowClient(server)
mlflow.set_experiment("datasets")
with mlflow.start_run(run_name="python-on-our-server") as run:
    mlflow.log_input(mlflow.data.from_pandas(frame.head(20), source=sample_csv, name="olx-train"), context="train")
out["server"] = runs_view(server_client, "datasets")

mlflow.set_tracking_uri(real)  # mlflow-artifacts: URIs resolve against the global tracking URI
real_client = MlflowClient(real)
experiment = real_client.get_experiment_by_name("fallback")
[ours_run] = real_client.search_runs([experiment.experiment_id])
version = real_client.get_model_version("fallback-model", "1")
out["real"] = {
    "inputs": inputs_view(ours_run),
    "artifacts": sorted(a.path for a in real_client.list_artifacts(ours_run.info.run_id, "model")),
    "history": [m["artifact_path"] for m in json.loads(ours_run.data.tags["mlflow.log-model.history"])],
    "version_source": version.source,
    "version_run_id": version.run_id,
}

dataset = mlflow.data.from_pandas(frame, source=sample_csv)
out["sample_csv"] = {"profile": json.loads(dataset.to_dict()["profile"]), "columns": [c["name"] for c in json.loads(dataset.to_dict()["schema"])["mlflow_colspec"]]}
print(json.dumps(out))

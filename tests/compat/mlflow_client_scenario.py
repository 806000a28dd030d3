"""
The compatibility scenario: MLflow's own Python client (the real MLflow 2.17.2) against
several tracking servers, one after the other, with the same calls. Every call's outcome
is recorded (the entities as MLflow's protobuf JSON, or the MLflow error code) and
normalised (ids by order of appearance, times close to now), so that the test can compare
the servers field by field.

Also, in the same process: real MLflow reading a FileStore our library wrote, and writing
one for our library to read.

Usage: python.sh mlflow_client_scenario.py CONFIG.json  (CONFIG: see compat.test.ts)
Prints one JSON object on the last line of stdout.
"""

import hashlib
import json
import math
import os
import re
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")

import logging

logging.disable(logging.WARNING)

import numpy as np
import requests
from google.protobuf.json_format import MessageToDict

import mlflow
import mlflow.data
import mlflow.pyfunc
import mlflow.sklearn
from mlflow import MlflowClient
from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.store.entities.paged_list import PagedList
from sklearn.linear_model import LinearRegression

T_START = int(time.time() * 1000)
HEX32 = re.compile(r"\b[0-9a-f]{32}\b")
TIME_KEYS = {
    "creation_time", "last_update_time", "creation_timestamp", "last_updated_timestamp",
    "end_time", "deleted_time", "utc_time_created", "start_time", "timestamp",
}
# Python's str(datetime.utcnow()) inside a string (the log-model history tag).
UTC_NOW_TEXT = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}")


def plain(x):
    """An MLflow entity (or list, dict, page) as JSON-able data: protobuf JSON for entities."""
    if x is None or isinstance(x, (bool, int, str)):
        return x
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
        return x
    if isinstance(x, PagedList):
        return {"items": [plain(i) for i in x], "token": x.token}
    if isinstance(x, (list, tuple)):
        return [plain(i) for i in x]
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, np.ndarray):
        return [plain(round(float(v), 9)) for v in x.ravel()]
    if hasattr(x, "to_proto"):
        return MessageToDict(x.to_proto(), preserving_proto_field_name=True)
    return repr(x)


class Normaliser:
    """Ids become `<id:k>` by order of first appearance; times near now become `<now>`."""

    def __init__(self, server_url):
        self.ids = {}
        self.server_url = server_url.rstrip("/")

    def _id(self, match):
        h = match.group(0)
        if h not in self.ids:
            self.ids[h] = f"<id:{len(self.ids) + 1}>"
        return self.ids[h]

    def is_now(self, v):
        try:
            n = int(v)
        except (TypeError, ValueError):
            return False
        return T_START - 86_400_000 <= n <= int(time.time() * 1000) + 86_400_000

    def __call__(self, x, key=None):
        if isinstance(x, dict):
            return {k: self(v, k) for k, v in x.items()}
        if isinstance(x, list):
            return [self(v) for v in x]
        if key in TIME_KEYS and x is not None and (self.is_now(x) or key == "utc_time_created"):
            return "<now>"
        if isinstance(x, str):
            return UTC_NOW_TEXT.sub("<now>", HEX32.sub(self._id, x.replace(self.server_url, "<server>")))
        return x


class Recorder:
    def __init__(self, normalise):
        self.calls = []
        self.normalise = normalise

    def __call__(self, name, fn):
        try:
            value = fn()
            out = {"result": plain(value)}
        except MlflowException as e:
            value = None
            out = {"error": e.error_code}
        except Exception as e:  # a client-side failure is an outcome too
            value = None
            out = {"error": "CLIENT:" + type(e).__name__, "detail": str(e)[:300]}
        self.calls.append({"call": self.normalise(name), **self.normalise(out)})
        return value


def raw(rec, base, name, method, path, **kwargs):
    """A REST call below the client, recording HTTP status and MLflow error code (or JSON)."""

    def go():
        r = requests.request(method, base + path, timeout=60, **kwargs)
        try:
            body = r.json()
        except ValueError:
            body = {"not_json": r.headers.get("Content-Type", "").split(";")[0]}
        if isinstance(body, dict) and "error_code" in body:
            body = {"error_code": body["error_code"]}
        return {"status": r.status_code, "body": body}

    return rec(name, go)


def pages(fetch, most=6):
    """Every page of a paged search (at most `most`), each with its token."""
    out, token = [], None
    for _ in range(most):
        page = fetch(token)
        out.append({"items": plain(list(page)), "token": page.token})
        token = page.token
        if not token:
            break
    return out


def scenario(base, workdir):
    """Everything the suite compares, against the server at `base`."""
    mlflow.set_tracking_uri(base)
    mlflow.set_registry_uri(base)
    c = MlflowClient(base, base)
    rec = Recorder(Normaliser(base))
    api = "/api/2.0/mlflow/"

    # ---------------------------------------------------------------- experiments
    e1 = rec("create_experiment", lambda: c.create_experiment("compat-exp", tags={"team": "ml", "miasto": "Łódź"}))
    rec("create_experiment taken name", lambda: c.create_experiment("compat-exp"))
    e2 = rec("create_experiment other", lambda: c.create_experiment("compat-other"))
    e3 = rec("create_experiment third", lambda: c.create_experiment("compat-third"))
    rec("get_experiment", lambda: c.get_experiment(e1))
    rec("get_experiment zero-padded id", lambda: c.get_experiment("0" + e1))
    rec("get_experiment unknown", lambda: c.get_experiment("424242"))
    rec("get_experiment_by_name", lambda: c.get_experiment_by_name("compat-other"))
    rec("get_experiment_by_name unknown", lambda: c.get_experiment_by_name("nobody-here"))
    rec("set_experiment_tag", lambda: c.set_experiment_tag(e2, "stage", "dev"))
    rec("set_experiment_tag 5001 chars", lambda: c.set_experiment_tag(e2, "long", "x" * 5001))
    rec("rename_experiment", lambda: c.rename_experiment(e3, "compat-third-renamed"))
    rec("rename_experiment to a taken name", lambda: c.rename_experiment(e3, "compat-other"))
    rec("search_experiments by name, ordered", lambda: c.search_experiments(filter_string="name LIKE 'compat-%'", order_by=["name DESC"]))
    rec("search_experiments by tag", lambda: c.search_experiments(filter_string="tags.team = 'ml'"))
    rec("search_experiments page by page", lambda: pages(lambda token: c.search_experiments(max_results=2, page_token=token, order_by=["name ASC"])))
    rec("delete_experiment", lambda: c.delete_experiment(e3))
    rec("search_experiments deleted", lambda: c.search_experiments(view_type=2))
    rec("create_run in deleted experiment", lambda: c.create_run(e3))
    rec("set_experiment_tag on deleted experiment", lambda: c.set_experiment_tag(e3, "a", "b"))
    rec("restore_experiment", lambda: c.restore_experiment(e3))
    rec("get_experiment restored", lambda: c.get_experiment(e3))

    # ---------------------------------------------------------------- runs
    r1 = rec("create_run", lambda: c.create_run(e1, start_time=1_000, tags={"team": "ml", "mlflow.user": "compat"}, run_name="first"))
    r1 = r1.info.run_id if r1 else "0" * 32
    rec("log_param", lambda: c.log_param(r1, "alpha", 0.5))
    rec("log_param same value", lambda: c.log_param(r1, "alpha", "0.5"))
    rec("log_param changed value", lambda: c.log_param(r1, "alpha", 0.7))
    rec("log_param 6001 chars", lambda: c.log_param(r1, "long_param", "p" * 6001))
    rec("log_param non-ASCII key", lambda: c.log_param(r1, "ünïcödé miasto", "Gdańsk"))
    rec("log_param colon key", lambda: c.log_param(r1, "a:b", "1"))
    rec("log_param key ending in /", lambda: c.log_param(r1, "x/", "1"))
    rec("log_param key with ..", lambda: c.log_param(r1, "a/../b", "1"))
    rec("log_param key with emoji", lambda: c.log_param(r1, "a😀", "1"))
    for step, (ts, v) in enumerate([(30, 3.0), (10, 1.0), (20, 2.0), (10, 1.5)]):
        rec(f"log_metric loss {step}", lambda: c.log_metric(r1, "loss", v, timestamp=ts, step=step % 3))
    rec("log_metric duplicate point", lambda: c.log_metric(r1, "loss", 1.0, timestamp=10, step=1))
    rec("log_metric +inf", lambda: c.log_metric(r1, "inf", float("inf"), timestamp=5, step=0))
    rec("log_metric -inf", lambda: c.log_metric(r1, "ninf", float("-inf"), timestamp=5, step=0))
    rec("log_metric nan", lambda: c.log_metric(r1, "nan", float("nan"), timestamp=5, step=0))
    rec("log_metric negative timestamp", lambda: c.log_metric(r1, "neg", 1.0, timestamp=-5, step=0))
    rec("log_metric negative step", lambda: c.log_metric(r1, "negstep", 1.0, timestamp=5, step=-3))
    rec("log_metric non-ASCII key", lambda: c.log_metric(r1, "błąd średni", 0.25, timestamp=7, step=1))
    rec("set_tag", lambda: c.set_tag(r1, "note", "hello"))
    rec("set_tag 8000 chars", lambda: c.set_tag(r1, "t8000", "t" * 8000))
    rec("set_tag 8001 chars", lambda: c.set_tag(r1, "t8001", "t" * 8000 + "u"))
    rec("set_tag key ending in /", lambda: c.set_tag(r1, "tag/", "v"))
    rec("set_tag nested key", lambda: c.set_tag(r1, "group/inner", "v"))
    rec("log_batch", lambda: c.log_batch(
        r1,
        metrics=[Metric("acc", 0.5, 100, 0), Metric("acc", 0.75, 101, 1), Metric("acc", 0.9, 99, 2)],
        params=[Param("batch_p", "1"), Param("batch_q", "q" * 7000)],
        tags=[RunTag("batch_t", "x"), RunTag("batch_long", "b" * 9000)],
    ))
    rec("log_batch duplicate param keys", lambda: c.log_batch(r1, params=[Param("dup", "1"), Param("dup", "1")]))
    rec("log_batch 101 params", lambda: c.log_batch(r1, params=[Param(f"many{i}", "v") for i in range(101)]))
    rec("log_batch bad metric key", lambda: c.log_batch(r1, metrics=[Metric("bad*key", 1.0, 1, 0)]))
    rec("get_run", lambda: c.get_run(r1))
    for key in ["loss", "acc", "inf", "ninf", "nan", "negstep", "błąd średni", "nope"]:
        rec(f"get_metric_history {key}", lambda: c.get_metric_history(r1, key))
    rec("get_metric_history unknown run", lambda: c.get_metric_history("0" * 32, "loss"))
    rec("delete_tag", lambda: c.delete_tag(r1, "note"))
    rec("delete_tag missing", lambda: c.delete_tag(r1, "note"))
    rec("update_run", lambda: c.update_run(r1, status="FINISHED", name="first-renamed"))
    rec("set_terminated", lambda: c.set_terminated(r1, "FAILED", end_time=5_000))
    rec("get_run after update", lambda: c.get_run(r1).info)

    runs = []
    for i, (rmse, model) in enumerate([(5.5, "Ridge"), (2.5, "Forest"), (9.0, "Ridge"), (1.0, "Forest"), (4.0, "Ridge")]):
        run = rec(f"create_run search {i}", lambda: c.create_run(e2, start_time=10_000 + i, run_name=f"search-{i}", tags={"fold": str(i % 2)}))
        rid = run.info.run_id if run else "0" * 32
        runs.append(rid)
        rec(f"log_batch search {i}", lambda: c.log_batch(rid, metrics=[Metric("rmse", rmse, 1, 0)], params=[Param("model", model)]))
        if i == 3:
            rec("set_terminated search 3", lambda: c.set_terminated(rid, "FINISHED", end_time=20_000))
    filters = [
        ("metrics.rmse < 5", ["metrics.rmse ASC"]),
        ("params.model = 'Ridge'", ["metrics.rmse DESC"]),
        ("tags.fold = '1'", ["attributes.start_time DESC"]),
        ("attributes.status = 'FINISHED'", []),
        ("attributes.run_name LIKE 'search-%' and metrics.rmse >= 2.5", ["params.model ASC", "metrics.rmse ASC"]),
        ("metrics.rmse > 100", []),
        ("params.model ILIKE 'ridge'", ["attributes.run_name ASC"]),
        (f"attributes.run_id IN ('{runs[0]}', '{runs[1]}')", ["metrics.rmse ASC"]),
    ]
    for f, order in filters:
        rec(f"search_runs {f} {order}", lambda: c.search_runs([e2], filter_string=f, order_by=order))
    rec("search_runs bad filter", lambda: c.search_runs([e2], filter_string="metrics.rmse <<< 5"))
    rec("search_runs two experiments", lambda: c.search_runs([e1, e2], order_by=["attributes.start_time ASC"]))
    rec("search_runs page by page", lambda: pages(lambda token: c.search_runs([e2], max_results=2, page_token=token, order_by=["metrics.rmse ASC"])))
    rec("search_runs full pages", lambda: pages(lambda token: c.search_runs([e2], max_results=5, page_token=token, order_by=["metrics.rmse ASC"])))

    # Where missing values, NaN and characters outside the BMP go: NaN before no value in both
    # directions, strings in code point order (U+FF21 before an emoji), `_` one character.
    e_sort = rec("create_experiment sort", lambda: c.create_experiment("compat-sort"))
    sort_rows = [(1.0, "\uff21"), (float("nan"), "a\U0001F600c"), (None, "abc"), (2.0, "\U0001F600"), (float("nan"), None), (None, "a_c")]
    for i, (value, text) in enumerate(sort_rows):
        run = rec(f"create_run sort {i}", lambda: c.create_run(e_sort, start_time=40_000 + i, run_name=f"sort-{i}"))
        rid = run.info.run_id if run else "0" * 32
        metrics = [] if value is None else [Metric("x", value, 1, 0)]
        params = [] if text is None else [Param("s", text)]
        rec(f"log_batch sort {i}", lambda: c.log_batch(rid, metrics=metrics, params=params))
    for order in (["metrics.x ASC"], ["metrics.x DESC"], ["params.s ASC"], ["params.s DESC"], ["metrics.x DESC", "params.s ASC"]):
        rec(f"search_runs sort {order}", lambda: c.search_runs([e_sort], order_by=order))
    for f in ["params.s LIKE 'a_c'", "params.s LIKE '_'", "params.s ILIKE 'A_C'", "params.s LIKE '%\U0001F600%'"]:
        rec(f"search_runs sort {f}", lambda: c.search_runs([e_sort], filter_string=f, order_by=["attributes.run_name ASC"]))

    rec("delete_run", lambda: c.delete_run(runs[2]))
    rec("log_metric to deleted run", lambda: c.log_metric(runs[2], "m", 1.0, timestamp=1))
    rec("log_param to deleted run", lambda: c.log_param(runs[2], "p", "1"))
    rec("set_tag on deleted run", lambda: c.set_tag(runs[2], "t", "1"))
    rec("search_runs deleted only", lambda: c.search_runs([e2], run_view_type=2))
    rec("restore_run", lambda: c.restore_run(runs[2]))
    rec("get_run restored", lambda: c.get_run(runs[2]).info)

    # Nested runs through the fluent API.
    with mlflow.start_run(experiment_id=e1, run_name="parent") as parent:
        mlflow.log_params({"folds": 3, "model": "Ridge"})
        for k in range(3):
            with mlflow.start_run(experiment_id=e1, run_name=f"fold-{k}", nested=True):
                mlflow.log_metric("rmse", 1.0 + k / 4, step=k, timestamp=1_000 + k)
        mlflow.log_metric("rmse_mean", 1.25, timestamp=2_000)
    rec("search_runs children of parent", lambda: c.search_runs([e1], filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'", order_by=["attributes.run_name ASC"]))
    rec("get_run parent", lambda: c.get_run(parent.info.run_id))

    # ---------------------------------------------------------------- artifacts through the proxy
    art = os.path.join(workdir, "artifacts-in")
    os.makedirs(os.path.join(art, "dir%", "sub"), exist_ok=True)
    for rel, text in [("100%.txt", "hundred"), ("sp ace%.txt", "space"), ("dir%/a b.txt", "in folder"), ("dir%/sub/deep.txt", "deep"), ("plain.txt", "plain")]:
        with open(os.path.join(art, rel), "w") as f:
            f.write(text)
    rec("log_artifact 100%.txt", lambda: c.log_artifact(r1, os.path.join(art, "100%.txt")))
    rec("log_artifact sp ace%.txt", lambda: c.log_artifact(r1, os.path.join(art, "sp ace%.txt"), "docs"))
    rec("log_artifacts folder", lambda: c.log_artifacts(r1, os.path.join(art, "dir%"), "dir%"))
    rec("log_artifact plain", lambda: c.log_artifact(r1, os.path.join(art, "plain.txt"), "nested/deeper"))
    for path in [None, "docs", "dir%", "dir%/sub", "nested", "nested/deeper", "missing"]:
        rec(f"list_artifacts {path}", lambda: c.list_artifacts(r1, path))
    for path in ["100%.txt", "docs/sp ace%.txt", "dir%/a b.txt", "dir%/sub/deep.txt", "nested/deeper/plain.txt"]:
        def download(path=path):
            dst = tempfile.mkdtemp(dir=workdir)
            with open(c.download_artifacts(r1, path, dst)) as f:
                return f.read()
        rec(f"download_artifacts {path}", download)

    def download_folder():
        dst = tempfile.mkdtemp(dir=workdir)
        local = c.download_artifacts(r1, "dir%", dst)
        return sorted(os.path.relpath(os.path.join(d, n), local) for d, _, names in os.walk(local) for n in names)

    rec("download_artifacts folder", download_folder)
    rec("log_text and load_text", lambda: (mlflow.MlflowClient(base).log_text(r1, "zażółć", "texts/pl.txt"), mlflow.artifacts.load_text(f"runs:/{r1}/texts/pl.txt"))[1])
    rec("log_dict and load_dict", lambda: (c.log_dict(r1, {"a": [1, 2], "b": "ł"}, "texts/d.json"), mlflow.artifacts.load_dict(f"runs:/{r1}/texts/d.json"))[1])

    # ---------------------------------------------------------------- autolog, pyfunc
    X = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 3.0], [5.0, 8.0]])
    y = X @ np.array([1.5, -2.0]) + 0.5
    mlflow.sklearn.autolog(silent=True, log_input_examples=False, log_model_signatures=True)
    with mlflow.start_run(run_name="autolog") as auto:
        LinearRegression().fit(X, y)
    mlflow.sklearn.autolog(disable=True)
    rec("autolog run", lambda: c.get_run(auto.info.run_id))
    rec("autolog artifacts", lambda: c.list_artifacts(auto.info.run_id, "model"))
    rec("autolog pyfunc predict", lambda: mlflow.pyfunc.load_model(f"runs:/{auto.info.run_id}/model").predict(X))
    rec("autolog MLmodel flavors", lambda: sorted(mlflow.models.Model.load(f"runs:/{auto.info.run_id}/model").flavors))

    # ---------------------------------------------------------------- log-model history
    columns = json.dumps([{"type": "double", "name": f"feature_{k}", "required": True} for k in range(12)])

    def log_models():
        out = []
        for i in range(8):
            m = {"run_id": r1, "artifact_path": f"m{i}", "utc_time_created": "2024-01-01 00:00:00.000000", "model_uuid": f"{i:032x}", "mlflow_version": "2.17.2",
                 "flavors": {"python_function": {"loader_module": "mlflow.sklearn", "env": {"conda": "conda.yaml"}, "config": {"drop": "me"}},
                             "sklearn": {"pickled_model": "model.pkl", "sklearn_version": "1.2.1", "code": None, "x": "y" * 400}},
                 "signature": {"inputs": columns, "outputs": '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]', "params": None}}
            r = requests.post(base + api + "runs/log-model", json={"run_id": r1, "model_json": json.dumps(m)}, timeout=60)
            out.append([r.status_code, r.json().get("error_code")])
        history = c.get_run(r1).data.tags.get("mlflow.log-model.history", "")
        return {"calls": out, "length": len(history), "entries": len(json.loads(history)), "first": json.loads(history)[0]}

    rec("log-model x8 (about 1.5 KB each)", log_models)
    raw(rec, base, "log-model missing fields", "POST", api + "runs/log-model", json={"run_id": r1, "model_json": json.dumps({"artifact_path": "x"})})
    raw(rec, base, "log-model empty signature inputs", "POST", api + "runs/log-model", json={"run_id": r1, "model_json": json.dumps({"artifact_path": "x", "run_id": r1, "utc_time_created": "t", "flavors": {}, "signature": {"inputs": "[]"}})})
    raw(rec, base, "log-model not JSON", "POST", api + "runs/log-model", json={"run_id": r1, "model_json": "{nope"})
    raw(rec, base, "log-model to deleted run", "POST", api + "runs/log-model", json={"run_id": runs[2], "model_json": "{}"})

    # ---------------------------------------------------------------- registry
    name = "compat-model"
    rec("create_registered_model", lambda: c.create_registered_model(name, tags={"owner": "ana"}, description="OLX prices"))
    rec("create_registered_model taken", lambda: c.create_registered_model(name))
    for v in range(3):
        rec(f"create_model_version {v + 1}", lambda: c.create_model_version(name, f"runs:/{auto.info.run_id}/model", run_id=auto.info.run_id, tags={"v": str(v)}, description=f"v{v + 1}" if v else None))
    rec("transition v1 Production", lambda: c.transition_model_version_stage(name, "1", "Production"))
    rec("transition v3 Staging", lambda: c.transition_model_version_stage(name, "3", "staging"))
    rec("transition v2 Production archiving", lambda: c.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True))
    rec("transition to a bad stage", lambda: c.transition_model_version_stage(name, "2", "Nowhere"))
    rec("set alias champion", lambda: c.set_registered_model_alias(name, "champion", "2"))
    rec("set alias old", lambda: c.set_registered_model_alias(name, "old", "1"))
    rec("set alias reserved", lambda: c.set_registered_model_alias(name, "latest", "1"))
    rec("get by alias", lambda: c.get_model_version_by_alias(name, "champion"))
    rec("get by unknown alias", lambda: c.get_model_version_by_alias(name, "nobody"))
    rec("get by alias of unknown model", lambda: c.get_model_version_by_alias("no-such-model", "nobody"))
    rec("get_registered_model", lambda: c.get_registered_model(name))
    rec("get_latest_versions", lambda: c.get_latest_versions(name))
    rec("get_latest_versions Production", lambda: c.get_latest_versions(name, ["Production"]))
    rec("get_model_version", lambda: c.get_model_version(name, "3"))
    rec("get_model_version unknown", lambda: c.get_model_version(name, "9"))
    rec("get_model_version_download_uri", lambda: c.get_model_version_download_uri(name, "1"))
    rec("update_model_version", lambda: c.update_model_version(name, "3", "third"))
    rec("set_model_version_tag", lambda: c.set_model_version_tag(name, "3", "validated", "yes"))
    rec("set_registered_model_tag", lambda: c.set_registered_model_tag(name, "domain", "housing"))
    rec("set_registered_model_tag 5001", lambda: c.set_registered_model_tag(name, "long", "x" * 5001))
    rec("delete_registered_model_tag", lambda: c.delete_registered_model_tag(name, "owner"))
    rec("search_registered_models", lambda: c.search_registered_models(filter_string="name LIKE 'compat-%'"))
    rec("search_model_versions", lambda: c.search_model_versions(f"name = '{name}'"))
    rec("search_model_versions by run", lambda: c.search_model_versions(f"run_id = '{auto.info.run_id}'", order_by=["version_number ASC"]))
    rec("delete_model_version", lambda: c.delete_model_version(name, "1"))
    rec("search_model_versions after delete", lambda: c.search_model_versions(f"name = '{name}'"))
    rec("delete alias", lambda: c.delete_registered_model_alias(name, "champion"))
    rec("rename_registered_model", lambda: c.rename_registered_model(name, "compat-model-renamed"))
    rec("get_registered_model renamed", lambda: c.get_registered_model("compat-model-renamed"))
    rec("register_model", lambda: mlflow.register_model(f"runs:/{auto.info.run_id}/model", "compat-autolog"))
    rec("set alias on registered", lambda: c.set_registered_model_alias("compat-autolog", "prod", "1"))
    rec("search_registered_models page by page", lambda: pages(lambda token: c.search_registered_models(max_results=1, page_token=token)))
    rec("pyfunc load models:/ by version", lambda: mlflow.pyfunc.load_model("models:/compat-autolog/1").predict(X))
    rec("pyfunc load models:/ by alias", lambda: mlflow.pyfunc.load_model("models:/compat-autolog@prod").predict(X))
    rec("delete_registered_model", lambda: c.delete_registered_model("compat-model-renamed"))
    rec("get deleted registered model", lambda: c.get_registered_model("compat-model-renamed"))

    # ---------------------------------------------------------------- REST rules below the client
    raw(rec, base, "REST experiments/get id 01", "GET", api + "experiments/get", params={"experiment_id": "0" + e1})
    raw(rec, base, "REST experiments/get id ' 1'", "GET", api + "experiments/get", params={"experiment_id": " " + e1})
    raw(rec, base, "REST runs/search ids ['01']", "POST", api + "runs/search", json={"experiment_ids": ["0" + e2], "max_results": 1})
    raw(rec, base, "REST metrics/get-history unknown run", "GET", api + "metrics/get-history", params={"run_id": "0" * 32, "metric_key": "x"})
    raw(rec, base, "REST experiments/update taken name", "POST", api + "experiments/update", json={"experiment_id": e3, "new_name": "compat-exp"})
    raw(rec, base, "REST registered-models/alias unknown", "GET", api + "registered-models/alias", params={"name": "compat-autolog", "alias": "nope"})
    raw(rec, base, "REST runs/log-metric deleted run", "POST", api + "runs/log-metric", json={"run_id": runs[2], "key": "m", "value": 1, "timestamp": 1})
    raw(rec, base, "REST runs/set-tag value 8001", "POST", api + "runs/set-tag", json={"run_id": r1, "key": "raw8001", "value": "r" * 8001})
    raw(rec, base, "REST runs/log-parameter value 6001", "POST", api + "runs/log-parameter", json={"run_id": r1, "key": "raw6001", "value": "r" * 6001})
    rec("REST stored lengths", lambda: {k: len(v) for k, v in c.get_run(r1).data.tags.items() if k.startswith("raw")} | {k: len(v) for k, v in c.get_run(r1).data.params.items() if k.startswith("raw")})
    deep = "1"
    for _ in range(100_000):
        deep = "[" + deep + "]"
    raw(rec, base, "REST deeply nested JSON", "POST", api + "runs/log-metric", data='{"run_id": "%s", "key": "d", "value": %s, "timestamp": 1}' % (r1, deep), headers={"Content-Type": "application/json"})
    proxy = "/api/2.0/mlflow-artifacts/artifacts"
    run_path = c.get_run(r1).info.artifact_uri.split("mlflow-artifacts:", 1)[-1].lstrip("/")
    raw(rec, base, "REST proxy list dir%", "GET", proxy, params={"path": run_path + "/dir%"})
    raw(rec, base, "REST proxy list a file", "GET", proxy, params={"path": run_path + "/100%.txt"})
    raw(rec, base, "REST proxy list missing", "GET", proxy, params={"path": run_path + "/missing"})
    raw(rec, base, "REST proxy get 100%.txt", "GET", proxy + "/" + run_path + "/100%.txt")

    # ---------------------------------------------------------------- datasets (run inputs)
    datasets_scenario(rec, c, base, api, X)
    return rec.calls


def datasets_scenario(rec, c, base, api, X):
    """Datasets as MLflow 2.17 stores them: log_inputs, run.inputs, search by datasets.*."""
    e = rec("create_experiment datasets", lambda: c.create_experiment("compat-datasets"))

    def dataset(name, digest, context=None, source='{"uri": "s3://bucket/olx.csv"}', schema=None, profile=None, tags=()):
        input_tags = ([InputTag("mlflow.data.context", context)] if context else []) + [InputTag(k, v) for k, v in tags]
        return DatasetInput(Dataset(name, digest, "s3", source, schema, profile), input_tags)

    schema = json.dumps({"mlflow_colspec": [{"type": "double", "name": "area"}, {"type": "string", "name": "city"}]})
    profile = json.dumps({"num_rows": 300, "num_elements": 600})
    train = dataset("olx-train", "d1g3st01", "train", schema=schema, profile=profile)
    holdout = dataset("olx-holdout", "d1g3st02", "eval", schema=schema, profile=json.dumps({"num_rows": 75}))
    a = rec("create_run datasets a", lambda: c.create_run(e, start_time=30_000, run_name="ds-a"))
    a = a.info.run_id if a else "0" * 32
    b = rec("create_run datasets b", lambda: c.create_run(e, start_time=30_001, run_name="ds-b"))
    b = b.info.run_id if b else "0" * 32
    rec("log_inputs train and holdout", lambda: c.log_inputs(a, [train, holdout]))
    rec("log_inputs the same again", lambda: c.log_inputs(a, [train]))
    rec("log_inputs the same dataset in another context", lambda: c.log_inputs(a, [dataset("olx-train", "d1g3st01", "test")]))
    rec("log_inputs the same name, another digest", lambda: c.log_inputs(a, [dataset("olx-train", "d1g3st03", "train", tags=[("extra", "ż")])]))
    rec("log_inputs shared with another run", lambda: c.log_inputs(b, [train]))
    rec("log_inputs without context, no schema or profile", lambda: c.log_inputs(b, [dataset("bare", "0000")]))
    rec("log_inputs none", lambda: c.log_inputs(b, []))
    # A new dataset before an older one: the run lists them as logged, not as the datasets were created.
    d = rec("create_run datasets d", lambda: c.create_run(e, start_time=30_002, run_name="ds-d"))
    d = d.info.run_id if d else "0" * 32
    rec("log_inputs new then shared", lambda: c.log_inputs(d, [dataset("zzz-new", "1234", "train"), holdout]))
    rec("log_inputs shared again later", lambda: c.log_inputs(d, [dataset("aaa-later", "5678"), train]))
    rec("get_run d", lambda: c.get_run(d))
    rec("log_inputs digest 37 chars", lambda: c.log_inputs(b, [dataset("long-digest", "d" * 37)]))
    rec("log_inputs name 501 chars", lambda: c.log_inputs(b, [dataset("n" * 501, "abc")]))
    rec("log_inputs tag value 501 chars", lambda: c.log_inputs(b, [dataset("tagged", "abc", tags=[("k", "v" * 501)])]))
    rec("log_inputs tag key 256 chars", lambda: c.log_inputs(b, [dataset("tagged", "abc", tags=[("k" * 256, "v")])]))
    rec("log_inputs unknown run", lambda: c.log_inputs("0" * 32, [train]))
    with mlflow.start_run(experiment_id=e, run_name="ds-fluent") as fluent:
        mlflow.log_input(mlflow.data.from_numpy(X, source="file:///tmp/olx.npy", name="olx-numpy"), context="training")
    rec("get_run a", lambda: c.get_run(a))
    rec("get_run b", lambda: c.get_run(b))
    rec("get_run fluent numpy dataset", lambda: c.get_run(fluent.info.run_id))
    for f in ["datasets.name = 'olx-train'", "datasets.context = 'eval'", "datasets.digest = 'd1g3st03'", "datasets.name LIKE 'olx-%'",
              "datasets.context IN ('train', 'training')", "datasets.name = 'olx-train' AND datasets.context = 'test'", "datasets.name != 'bare'"]:
        rec(f"search_runs {f}", lambda: c.search_runs([e], filter_string=f, order_by=["attributes.run_name ASC"]))
    rec("search_runs datasets page by page", lambda: pages(lambda token: c.search_runs([e], max_results=1, page_token=token, order_by=["attributes.start_time ASC"])))
    c.delete_run(b)
    rec("log_inputs to deleted run", lambda: c.log_inputs(b, [holdout]))
    raw(rec, base, "REST log-inputs dataset without digest", "POST", api + "runs/log-inputs",
        json={"run_id": a, "datasets": [{"dataset": {"name": "x", "source_type": "s3", "source": "{}"}}]})
    raw(rec, base, "REST log-inputs dataset without name", "POST", api + "runs/log-inputs",
        json={"run_id": a, "datasets": [{"dataset": {"digest": "x", "source_type": "s3", "source": "{}"}}]})
    raw(rec, base, "REST log-inputs without run_id", "POST", api + "runs/log-inputs", json={"datasets": []})
    raw(rec, base, "REST log-inputs tag without value", "POST", api + "runs/log-inputs",
        json={"run_id": a, "datasets": [{"dataset": {"name": "t", "digest": "t", "source_type": "s3", "source": "{}"}, "tags": [{"key": "k"}]}]})
    raw(rec, base, "REST runs/get after log-inputs", "GET", api + "runs/get", params={"run_id": a})


def read_our_filestore(root, workdir):
    """What real MLflow reads from a FileStore our library wrote."""
    uri = "file://" + root
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    c = MlflowClient(uri, uri)
    out = {}
    out["experiments"] = sorted(
        ({"id": e.experiment_id, "name": e.name, "tags": e.tags, "lifecycle": e.lifecycle_stage, "artifact_location": e.artifact_location} for e in c.search_experiments(view_type=3)),
        key=lambda e: e["name"],
    )
    runs = []
    for e in out["experiments"]:
        for r in c.search_runs([e["id"]], run_view_type=3, order_by=["attributes.start_time ASC"]):
            artifacts = []

            def walk(path):
                for f in c.list_artifacts(r.info.run_id, path):
                    if f.is_dir:
                        walk(f.path)
                    else:
                        dst = tempfile.mkdtemp(dir=workdir)
                        with open(c.download_artifacts(r.info.run_id, f.path, dst), "rb") as fh:
                            artifacts.append({"path": f.path, "size": f.file_size, "sha256": hashlib.sha256(fh.read()).hexdigest()})

            walk(None)
            history = {k: [[m.timestamp, m.step, plain(m.value)] for m in c.get_metric_history(r.info.run_id, k)] for k in r.data.metrics}
            runs.append({
                "experiment": e["name"], "run_id": r.info.run_id, "name": r.info.run_name, "status": r.info.status,
                "start_time": r.info.start_time, "end_time": r.info.end_time, "lifecycle": r.info.lifecycle_stage,
                "params": r.data.params, "metrics": {k: plain(v) for k, v in r.data.metrics.items()}, "tags": r.data.tags,
                "history": history, "artifacts": sorted(artifacts, key=lambda a: a["path"]),
            })
    out["runs"] = runs
    models = []
    for m in c.search_registered_models():
        versions = sorted(c.search_model_versions(f"name = '{m.name}'"), key=lambda v: int(v.version))
        models.append({
            "name": m.name, "description": m.description, "tags": m.tags, "aliases": {k: str(v) for k, v in m.aliases.items()},
            "latest": sorted([str(v.version), v.current_stage] for v in m.latest_versions),
            "versions": [{"version": str(v.version), "stage": v.current_stage, "source": v.source, "run_id": v.run_id, "tags": v.tags, "aliases": sorted(v.aliases), "description": v.description} for v in versions],
        })
    out["models"] = models
    logged = []
    for r in runs:
        history = r["tags"].get("mlflow.log-model.history")
        if history:
            for entry in json.loads(history):
                model = mlflow.models.Model.load(f"runs:/{r['run_id']}/{entry['artifact_path']}")
                logged.append({"run_id": r["run_id"], "artifact_path": entry["artifact_path"], "flavors": sorted(model.flavors), "model_uuid": model.model_uuid, "signature_inputs": [i.name for i in model.signature.inputs.inputs] if model.signature else None})
    out["logged_models"] = logged
    return out


def write_filestore(root, workdir):
    """A FileStore written by real MLflow, and what MLflow itself reads back from it (the truth for our reader)."""
    uri = "file://" + root
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    c = MlflowClient(uri, uri)
    exp = c.create_experiment("written-by-mlflow", tags={"source": "python", "miasto": "Kraków"})
    run = c.create_run(exp, start_time=1_700_000_000_000, tags={"team": "ml"}, run_name="py-run")
    rid = run.info.run_id
    c.log_batch(rid, metrics=[Metric("loss", v, 1_700_000_000_000 + i, i) for i, v in enumerate([1.0, 0.5, float("nan"), float("inf"), 1e-7, 123456789.125])],
                params=[Param("alpha", "0.1"), Param("text", "zażółć gęślą jaźń")], tags=[RunTag("nested/tag", "v")])
    c.log_metric(rid, "acc", 0.75, timestamp=1_700_000_000_100, step=3)
    c.log_text(rid, "hello from python", "notes/readme.txt")
    c.log_dict(rid, {"k": [1, 2.5, None]}, "config.json")
    import pandas as pd

    X = pd.DataFrame({"area": [50.0, 70.0, 90.0], "rooms": [2.0, 3.0, 4.0]})
    with mlflow.start_run(run_id=rid):
        mlflow.sklearn.log_model(LinearRegression().fit(X, X["area"] * 1.5 + X["rooms"]), "model", pip_requirements=["scikit-learn"],
                                 signature=mlflow.models.infer_signature(X, X["area"]))
    c.set_terminated(rid, "FINISHED", end_time=1_700_000_001_000)
    child = c.create_run(exp, start_time=1_700_000_000_500, tags={"mlflow.parentRunId": rid}, run_name="py-child")
    c.log_param(child.info.run_id, "fold", "1")
    c.delete_run(child.info.run_id)
    gone = c.create_experiment("deleted-by-mlflow")
    c.delete_experiment(gone)
    c.create_registered_model("py-model", tags={"owner": "py"}, description="from python")
    c.create_model_version("py-model", f"{run.info.artifact_uri}/model", run_id=rid, description="first")
    c.create_model_version("py-model", f"{run.info.artifact_uri}/model", run_id=rid)
    c.transition_model_version_stage("py-model", "1", "Production")
    c.set_registered_model_alias("py-model", "champion", "2")
    c.set_model_version_tag("py-model", "2", "checked", "yes")
    mlflow.set_tracking_uri(None)
    truth = read_our_filestore(root, workdir)
    truth["model_dir"] = os.path.join(run.info.artifact_uri.replace("file://", ""), "model")
    return truth


def main():
    config = json.load(open(sys.argv[1]))
    result = {"targets": {}, "timings": {}}
    for target in config["targets"]:
        t0 = time.time()
        work = tempfile.mkdtemp(dir=config["workdir"])
        result["targets"][target["name"]] = scenario(target["url"], work)
        result["timings"][target["name"]] = round(time.time() - t0, 2)
    if config.get("read_filestore"):
        t0 = time.time()
        result["read_our_filestore"] = read_our_filestore(config["read_filestore"], config["workdir"])
        result["timings"]["read_our_filestore"] = round(time.time() - t0, 2)
    if config.get("write_filestore"):
        t0 = time.time()
        result["written_filestore"] = write_filestore(config["write_filestore"], config["workdir"])
        result["timings"]["write_filestore"] = round(time.time() - t0, 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

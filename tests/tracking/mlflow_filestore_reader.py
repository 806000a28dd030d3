"""Reads an mlruns/ tree the way MLflow 2.17's FileStore does (PyYAML safe_load, metric
lines parsed with int()/float()), checks every field against the formats recorded in
../shared/reference/mlflow-2.17-formats.md, and prints what it read as JSON.
Usage: python3 mlflow_filestore_reader.py <root>. Problems go to the "errors" list."""
import json, math, os, re, sys
import yaml

root = sys.argv[1]
errors = []

def err(msg):
    errors.append(msg)

def read_meta(path):
    text = open(path, encoding="utf-8").read()
    meta = yaml.safe_load(text)
    again = yaml.safe_dump(meta, default_flow_style=False, allow_unicode=True)
    if again != text:
        err(f"{path}: not byte-identical to PyYAML safe_dump of its content:\n{text!r}\nvs\n{again!r}")
    return meta

def check_types(path, meta, spec):
    for key, types in spec.items():
        if key not in meta:
            err(f"{path}: missing key {key}")
        elif not isinstance(meta[key], types) or isinstance(meta[key], bool) and bool not in types:
            err(f"{path}: {key}={meta[key]!r} has type {type(meta[key]).__name__}")

def read_kv_dir(d):
    out = {}
    if not os.path.isdir(d):
        return out
    for dirpath, _, files in os.walk(d):
        for f in files:
            p = os.path.join(dirpath, f)
            key = os.path.relpath(p, d).replace(os.sep, "/")
            out[key] = open(p, encoding="utf-8").read()
    return out

EXP_SPEC = {"artifact_location": str, "creation_time": int, "experiment_id": str, "last_update_time": int,
            "lifecycle_stage": str, "name": str}
RUN_SPEC = {"artifact_uri": str, "end_time": (int, type(None)), "entry_point_name": str, "experiment_id": str,
            "lifecycle_stage": str, "run_id": str, "run_name": str, "run_uuid": str, "source_name": str,
            "source_type": int, "source_version": str, "start_time": int, "status": int, "tags": list, "user_id": str}
RUN_KEYS = set(RUN_SPEC) | {"deleted_time"}

def read_metric_file(path, key):
    history = []
    for i, line in enumerate(open(path, encoding="utf-8").read().splitlines()):
        parts = line.split(" ")
        if len(parts) not in (2, 3):
            err(f"{path}:{i+1}: bad metric line {line!r}")
            continue
        ts, value = int(parts[0]), float(parts[1])
        step = int(parts[2]) if len(parts) == 3 else 0
        if repr(value) != parts[1]:
            err(f"{path}:{i+1}: value {parts[1]!r} is not Python's str(float) ({repr(value)!r})")
        history.append({"key": key, "value": None if math.isnan(value) else value if math.isfinite(value) else str(value),
                        "timestamp": ts, "step": step})
    return history

def read_run(exp_id, run_dir):
    path = os.path.join(run_dir, "meta.yaml")
    meta = read_meta(path)
    check_types(path, meta, RUN_SPEC)
    if set(meta) - RUN_KEYS:
        err(f"{path}: unexpected keys {sorted(set(meta) - RUN_KEYS)}")
    if meta.get("run_id") != os.path.basename(run_dir) or meta.get("run_uuid") != meta.get("run_id"):
        err(f"{path}: run_id/run_uuid do not match the directory")
    if not re.fullmatch(r"[0-9a-f]{32}", meta.get("run_id", "")):
        err(f"{path}: run_id is not 32 lowercase hex characters")
    if meta.get("experiment_id") != exp_id:
        err(f"{path}: experiment_id {meta.get('experiment_id')!r} != directory {exp_id!r}")
    if meta.get("status") not in (1, 2, 3, 4, 5) or meta.get("source_type") != 4 or meta.get("tags") != []:
        err(f"{path}: status/source_type/tags not as MLflow writes them")
    if meta.get("lifecycle_stage") == "deleted" and not isinstance(meta.get("deleted_time"), int):
        err(f"{path}: deleted run without deleted_time")
    metrics = {}
    mdir = os.path.join(run_dir, "metrics")
    for key in sorted(read_kv_dir(mdir)):
        hist = read_metric_file(os.path.join(mdir, *key.split("/")), key)
        metrics[key] = hist
    return {"meta": meta, "metrics": metrics, "params": read_kv_dir(os.path.join(run_dir, "params")),
            "tags": read_kv_dir(os.path.join(run_dir, "tags")),
            "artifacts": sorted(read_kv_dir(os.path.join(run_dir, "artifacts")))}

def read_experiment(exp_dir, deleted):
    path = os.path.join(exp_dir, "meta.yaml")
    meta = read_meta(path)
    check_types(path, meta, EXP_SPEC)
    exp_id = os.path.basename(exp_dir)
    if meta.get("experiment_id") != exp_id:
        err(f"{path}: experiment_id does not match the directory")
    if deleted and (meta.get("lifecycle_stage") != "deleted" or meta.get("tags") != {}):
        err(f"{path}: a deleted experiment must have lifecycle_stage deleted and tags {{}}")
    runs = {}
    for name in sorted(os.listdir(exp_dir)):
        p = os.path.join(exp_dir, name)
        if os.path.isdir(p) and name not in ("tags", "datasets"):
            runs[name] = read_run(exp_id, p)
    return {"meta": meta, "tags": read_kv_dir(os.path.join(exp_dir, "tags")), "runs": runs}

def read_models(models_dir):
    out = {}
    if not os.path.isdir(models_dir):
        return out
    for name in sorted(os.listdir(models_dir)):
        d = os.path.join(models_dir, name)
        meta = read_meta(os.path.join(d, "meta.yaml"))
        check_types(d, meta, {"aliases": dict, "creation_timestamp": int, "last_updated_timestamp": int, "name": str,
                              "description": (str, type(None))})
        versions = {}
        for v in sorted(os.listdir(d)):
            if v.startswith("version-"):
                vp = os.path.join(d, v, "meta.yaml")
                vm = read_meta(vp)
                check_types(vp, vm, {"aliases": list, "creation_timestamp": int, "current_stage": str, "version": int,
                                     "last_updated_timestamp": int, "name": str, "source": str, "status": str,
                                     "storage_location": str, "run_link": (str, type(None)),
                                     "status_message": (str, type(None)), "user_id": (str, type(None)),
                                     "run_id": (str, type(None)), "description": (str, type(None))})
                versions[v] = {"meta": vm, "tags": read_kv_dir(os.path.join(d, v, "tags"))}
        out[name] = {"meta": meta, "tags": read_kv_dir(os.path.join(d, "tags")),
                     "aliases": read_kv_dir(os.path.join(d, "aliases")), "versions": versions}
    return out

result = {"experiments": {}, "trash": {}}
if not os.path.isdir(os.path.join(root, ".trash")):
    err("no .trash folder")
for name in sorted(os.listdir(root)):
    p = os.path.join(root, name)
    if os.path.isdir(p) and name not in (".trash", "models"):
        result["experiments"][name] = read_experiment(p, False)
for name in sorted(os.listdir(os.path.join(root, ".trash"))):
    p = os.path.join(root, ".trash", name)
    if os.path.isdir(p):
        result["trash"][name] = read_experiment(p, True)
result["models"] = read_models(os.path.join(root, "models"))
result["errors"] = errors
print(json.dumps(result))

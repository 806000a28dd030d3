"""MLflow 2.17.2's S3ArtifactRepository uploads files, then boto3 reads back each object's labels.

Reads JSON on stdin: {"files": DIR, "artifact_uri": "s3://bucket/prefix", "read": ["s3://bucket/prefix", ...]}.
With MLFLOW_S3_ENDPOINT_URL, AWS_* and MLFLOW_S3_UPLOAD_EXTRA_ARGS in the environment it logs every
file of DIR under artifact_uri, then prints one JSON object: for each prefix in "read", each key's
ContentType, ContentEncoding, CacheControl, ContentDisposition and Metadata as S3 answers HeadObject.
"""
import json
import os
import sys
from urllib.parse import urlparse

import boto3
from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository

FIELDS = ["ContentType", "ContentEncoding", "CacheControl", "ContentDisposition", "Metadata"]


def main():
    spec = json.load(sys.stdin)
    S3ArtifactRepository(spec["artifact_uri"]).log_artifacts(spec["files"])
    s3 = boto3.client("s3", endpoint_url=os.environ["MLFLOW_S3_ENDPOINT_URL"])
    out = {}
    for uri in spec["read"]:
        parsed = urlparse(uri)
        bucket, prefix = parsed.netloc, parsed.path.lstrip("/")
        labels = {}
        for obj in s3.list_objects_v2(Bucket=bucket, Prefix=prefix + "/").get("Contents", []):
            head = s3.head_object(Bucket=bucket, Key=obj["Key"])
            labels[obj["Key"][len(prefix) + 1:]] = {f: head.get(f) for f in FIELDS}
        out[uri] = labels
    print(json.dumps(out))


main()

/**
 * Objects are labelled as MLflow labels them: the content type and encoding that Python's
 * `mimetypes` guesses from the file name, then `MLFLOW_S3_UPLOAD_EXTRA_ARGS` over them.
 * The guesses are checked against Python's own built-in tables; the labels on S3 against
 * the real MLflow 2.17.2 uploading the same files to the same s3rver (skips visibly without
 * ../shared or boto3).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { Stack } from "../../scripts/remote-stack.mjs";
import { guessMimeType } from "../../src/tracking/artifacts/mimeTypes";
import { S3ArtifactRepository } from "../../src/tracking/artifacts/s3ArtifactRepository";
import { parseUploadExtraArgs } from "../../src/tracking/artifacts/s3UploadArgs";
import { s3SettingsFromEnv } from "../../src/tracking/artifacts/s3Settings";

const PYTHON = "/usr/bin/python3";
const PEER = resolve(__dirname, "..", "..", "..", "shared", "peers", "mlflow", "python.sh");

/** Python's built-in `mimetypes` guesses for `names` (a `MimeTypes()` reads no system file). */
function pythonGuesses(names: readonly string[]): Array<[string | null, string | null]> {
  const script = "import json, sys, mimetypes\nm = mimetypes.MimeTypes()\nprint(json.dumps([m.guess_type(n) for n in json.load(sys.stdin)]))";
  const r = spawnSync(PYTHON, ["-c", script], { input: JSON.stringify(names), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Array<[string | null, string | null]>;
}

/** Every extension of Python's built-in table, to test each entry of ours. */
function pythonExtensions(): string[] {
  const r = spawnSync(PYTHON, ["-c", "import json, mimetypes\nprint(json.dumps(sorted(mimetypes.MimeTypes().types_map[True])))"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

describe.skipIf(!existsSync(PYTHON))("content types guessed as Python's mimetypes does", () => {
  test("every built-in extension, in both cases, with encodings, suffix aliases and odd names", () => {
    const exts = pythonExtensions();
    expect(exts.length).toBeGreaterThan(100);
    const names = [
      ...exts.flatMap((e) => [`file${e}`, `dir.d/FILE${e.toUpperCase()}`]),
      "model.tar.gz", "data.csv.bz2", "x.json.xz", "y.txt.Z", "z.html.br", "plain.gz", "UP.GZ", "a.TGZ", "b.svgz", "c.tbz2", "d.txz", "e.taz",
      "MLmodel", "conda.yaml", "model.pkl", "estimator.json", ".gz", "..csv", ".hidden.csv", "a.b/c", "dir/.bashrc", "trailing.", "a..json", "r.parquet",
    ];
    const expected = pythonGuesses(names);
    names.forEach((name, i) => expect([guessMimeType(name).type, guessMimeType(name).encoding], name).toEqual(expected[i]));
  });
});

describe("MLFLOW_S3_UPLOAD_EXTRA_ARGS", () => {
  test("is parsed into PutObject arguments", () => {
    expect(parseUploadExtraArgs(undefined)).toEqual({});
    expect(parseUploadExtraArgs("")).toEqual({});
    const args = parseUploadExtraArgs('{"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "k-1", "Metadata": {"team": "ds"}, "Expires": "2030-01-02T03:04:05Z"}');
    expect(args).toEqual({ ServerSideEncryption: "aws:kms", SSEKMSKeyId: "k-1", Metadata: { team: "ds" }, Expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) });
    expect(s3SettingsFromEnv({ MLFLOW_S3_UPLOAD_EXTRA_ARGS: '{"ACL": "bucket-owner-full-control"}' }).uploadExtraArgs).toEqual({ ACL: "bucket-owner-full-control" });
  });

  test("bad values name the variable and the key", () => {
    expect(() => parseUploadExtraArgs("{ACL: x}")).toThrow(/MLFLOW_S3_UPLOAD_EXTRA_ARGS is not valid JSON/);
    expect(() => parseUploadExtraArgs('["ACL"]')).toThrow(/MLFLOW_S3_UPLOAD_EXTRA_ARGS must be a JSON object/);
    expect(() => parseUploadExtraArgs('{"Acl": "private"}')).toThrow(/MLFLOW_S3_UPLOAD_EXTRA_ARGS: invalid upload argument 'Acl', must be one of: ACL, /);
    expect(() => parseUploadExtraArgs('{"Metadata": {"n": 1}}')).toThrow(/'Metadata' must be an object of strings/);
    expect(() => parseUploadExtraArgs('{"CacheControl": 60}')).toThrow(/'CacheControl' must be a string, got 60/);
    expect(() => parseUploadExtraArgs('{"Expires": "soon"}')).toThrow(/'Expires' must be a date, got 'soon'/);
    expect(() => s3SettingsFromEnv({ MLFLOW_S3_UPLOAD_EXTRA_ARGS: "nope" })).toThrow(/MLFLOW_S3_UPLOAD_EXTRA_ARGS/);
  });
});

function peerMissing(): string | null {
  if (!existsSync(PEER)) return `the real MLflow is not at ${PEER} (../shared is absent)`;
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Status}\n", "python3-boto3", ...readFileSync(join(dirname(PEER), "debian-packages.txt"), "utf8").split(/\s+/).filter((p) => p !== "")], { encoding: "utf8" });
  if (r.stdout.split("\n").some((l) => l !== "" && !l.endsWith("install ok installed")) || r.status !== 0) return "the real MLflow's Debian packages or python3-boto3 are missing";
  return null;
}
const missing = peerMissing();
if (missing !== null) console.warn(`SKIPPED S3 upload labels against MLflow 2.17.2: ${missing}`);

describe.skipIf(missing !== null)("S3 objects carry the labels MLflow 2.17.2 gives the same files", () => {
  let stack: Stack | undefined;
  let work: string | undefined;
  afterAll(async () => {
    await stack?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test("type, encoding and the extra arguments, file by file", async () => {
    stack = new Stack({ log: null });
    const s3 = await stack.s3(["labels"]);
    work = mkdtempSync(join(tmpdir(), "s3-labels-"));
    const files = join(work, "files");
    mkdirSync(join(files, "model"), { recursive: true });
    for (const name of ["metrics.json", "table.csv", "notes.txt", "report.html", "plot.png", "model/MLmodel", "model/conda.yaml", "model/model.pkl", "logs.tar.gz", "data.csv.bz2"]) {
      writeFileSync(join(files, name), `contents of ${name}\n`);
    }
    const extra = JSON.stringify({ CacheControl: "max-age=60", ContentDisposition: "inline", Metadata: { team: "ds", talk: "mlflow" } });
    const env = { ...process.env, ...s3.env, MLFLOW_S3_UPLOAD_EXTRA_ARGS: extra, AWS_DEFAULT_REGION: "us-east-1", GIT_PYTHON_REFRESH: "quiet" };
    // The SDK reads its credentials from this process's environment, as boto3 does from its own.
    Object.assign(process.env, s3.env);
    await new S3ArtifactRepository("s3://labels/ours", { settings: s3SettingsFromEnv(env) }).logArtifacts(files);
    const r = spawnSync(PEER, [join(__dirname, "upload_labels.py")], {
      input: JSON.stringify({ files, artifact_uri: "s3://labels/mlflow", read: ["s3://labels/mlflow", "s3://labels/ours"] }),
      encoding: "utf8",
      env,
    });
    if (r.status !== 0) throw new Error(`MLflow's S3 repository failed (${r.status}):\n${r.stderr.slice(-4000)}`);
    const labels = JSON.parse(r.stdout.trim().split("\n").pop() as string) as Record<string, Record<string, Record<string, unknown>>>;
    const theirs = labels["s3://labels/mlflow"] ?? {};
    const ours = labels["s3://labels/ours"] ?? {};
    expect(Object.keys(theirs).sort()).toHaveLength(10);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const [key, label] of Object.entries(theirs)) expect(ours[key], key).toEqual(label);
    // The comparison means something only if MLflow labelled them: a type, the extra arguments.
    expect(theirs["report.html"]).toMatchObject({ ContentType: "text/html", CacheControl: "max-age=60", ContentDisposition: "inline", Metadata: { team: "ds", talk: "mlflow" } });
    expect(theirs["logs.tar.gz"]).toMatchObject({ ContentType: "application/x-tar", ContentEncoding: "gzip" });
  }, 120_000);
});

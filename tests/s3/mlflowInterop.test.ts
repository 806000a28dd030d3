/**
 * Interop with the real MLflow 2.17.2 client (../shared/peers/mlflow, with Debian's boto3)
 * through our tracking server with artifacts in S3 (s3rver on the loopback): MLflow reads
 * the runs and models we logged, proxied and straight from S3, and we read the ones it
 * logged both ways. Checksums are compared with what the writer had on its own disk.
 * Skips visibly without ../shared or without boto3.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MlflowClient } from "../../src/tracking/client";
import { registerRestStores } from "../../src/tracking-rest/register";
import { getArtifactRepository } from "../../src/tracking/artifacts/artifactRepository";
import { loadYaml } from "../../src/tracking/yaml";
import { Stack, type S3Service } from "../../scripts/remote-stack.mjs";
import { startServerProcess, type ServerProcess } from "../server/serverProcess";
import { treeSums } from "./files";
import { expectSameModel, logRunWithModel, s3Sums, type LoggedRun } from "./runs";

const PEER = resolve(__dirname, "..", "..", "..", "shared", "peers", "mlflow", "python.sh");
const USER = { username: "mlflow-peer", password: "peer-pw" };

function unavailable(): string | null {
  if (!existsSync(PEER)) return `the real MLflow is not at ${PEER} (../shared is absent)`;
  // The peer's Debian packages (its README) plus boto3, checked with dpkg: importing MLflow itself takes seconds.
  const wanted = [...new Set([...readFileSync(join(dirname(PEER), "debian-packages.txt"), "utf8").split(/\s+/).filter((p) => p !== ""), "python3-boto3"])];
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Status}\n", ...wanted], { encoding: "utf8" });
  const installed = r.stdout.split("\n").filter((l) => l.endsWith("install ok installed")).length;
  if (installed !== wanted.length) return `Debian packages of the real MLflow are missing: apt-get install $(cat ${join(dirname(PEER), "debian-packages.txt")}) python3-boto3`;
  return null;
}
const reason = unavailable();
if (reason !== null) console.warn(`SKIPPED MLflow 2.17.2 S3 interop: ${reason}`);

interface PeerReport {
  read: Record<string, { artifact_uri: string; files: Record<string, string> }>;
  models: Record<string, { flavors: string[]; run_id: string; files: Record<string, string> }>;
  wrote: Record<string, { run_id: string; experiment_id: string; artifact_uri: string; files: Record<string, string>; model: Record<string, string>; registered: string }>;
}

let stack: Stack;
let s3: S3Service;
let server: ServerProcess;
let work: string;
let ours: Record<"proxied" | "direct", LoggedRun>;
let peer: PeerReport;
let client: MlflowClient;

describe.skipIf(reason !== null)("MLflow 2.17.2 and mlflow-demo-ts share runs and models in S3", () => {
  beforeAll(async () => {
    registerRestStores();
    stack = new Stack({ log: null });
    s3 = await stack.s3(["interop"]);
    work = mkdtempSync(join(tmpdir(), "s3-interop-"));
    const auth = join(work, "auth.json");
    writeFileSync(auth, JSON.stringify({ users: [{ ...USER, permissions: { "*": "MANAGE" } }] }));
    server = await startServerProcess(["--backend-store-uri", `sqlite:///${join(work, "mlflow.db")}`, "--artifacts-destination", "s3://interop/proxied", "--auth-config", auth], s3.env);
    Object.assign(process.env, s3.env, { MLFLOW_TRACKING_USERNAME: USER.username, MLFLOW_TRACKING_PASSWORD: USER.password });
    client = new MlflowClient(server.url);
    // MLflow 2.17's client finds a model under its run's artifacts: logged the MLflow 2 way (our
    // server's default is an MLflow 3 logged model, which 2.17 does not know).
    ours = {
      proxied: await logRunWithModel(client, work, "ts-proxied", "ts_model_proxied", undefined, "run-artifact"),
      direct: await logRunWithModel(client, work, "ts-direct", "ts_model_direct", "s3://interop/direct/ts", "run-artifact"),
    };
    const input = { ours: { proxied: ours.proxied.runId, direct: ours.direct.runId }, models: ["ts_model_proxied", "ts_model_direct"], work, direct_root: "s3://interop/direct" };
    const r = spawnSync(PEER, [join(__dirname, "mlflow_s3_interop.py")], {
      input: JSON.stringify(input),
      encoding: "utf8",
      env: { ...process.env, MLFLOW_TRACKING_URI: server.url, AWS_DEFAULT_REGION: "us-east-1", GIT_PYTHON_REFRESH: "quiet" },
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) throw new Error(`MLflow's client failed (${r.status}):\n${r.stderr.slice(-4000)}`);
    peer = JSON.parse(r.stdout.trim().split("\n").pop() as string) as PeerReport;
  });

  afterAll(async () => {
    await server?.stop();
    await stack?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  test("MLflow's client reads our runs through the proxy and from S3 directly, byte for byte", () => {
    expect(peer.read.proxied?.artifact_uri).toBe(ours.proxied.artifactUri);
    expect(peer.read.direct?.artifact_uri).toBe(`s3://interop/direct/ts/${ours.direct.runId}/artifacts`);
    for (const mode of ["proxied", "direct"] as const) {
      const files = peer.read[mode]?.files ?? {};
      for (const [rel, sum] of Object.entries(ours[mode].sums)) expect(files[rel], `${mode} ${rel}`).toBe(sum);
      expect(Object.keys(files)).toEqual(expect.arrayContaining(["model/MLmodel", "model/estimator.json"]));
    }
  });

  test("MLflow's client loads our registered models' MLmodel and files from both places", async () => {
    for (const [name, mode] of [["ts_model_proxied", "proxied"], ["ts_model_direct", "direct"]] as const) {
      const report = peer.models[name];
      expect(report?.run_id).toBe(ours[mode].runId);
      expect(report?.flavors.length).toBeGreaterThan(0);
      const local = await client.downloadArtifacts(ours[mode].runId, "model", join(work, `our-model-${mode}`));
      // MLflow writes registered_model_meta beside a model it downloads by models:/ URI.
      const { registered_model_meta: meta, ...files } = report?.files ?? {};
      expect(meta).toBeDefined();
      expect(files).toEqual(treeSums(local));
    }
  });

  test("we read MLflow's proxied run: listed by the server from S3, files and model as MLflow had them on disk", async () => {
    const wrote = peer.wrote.proxied;
    if (wrote === undefined) throw new Error("MLflow reported no proxied run");
    expect(wrote.artifact_uri).toBe(`mlflow-artifacts:/${wrote.experiment_id}/${wrote.run_id}/artifacts`);
    const inS3 = await s3Sums("interop", `proxied/${wrote.experiment_id}/${wrote.run_id}/artifacts`);
    const back = treeSums(await client.downloadArtifacts(wrote.run_id, "", join(work, "their-proxied")));
    expect(back).toEqual(inS3);
    for (const [rel, sum] of Object.entries(wrote.files)) expect(back[rel], rel).toBe(sum);
    for (const [rel, sum] of Object.entries(wrote.model)) expect(back[`model/${rel}`], rel).toBe(sum);
    expect((await client.listArtifacts(wrote.run_id)).map((f) => f.path)).toEqual(["data", "folder", "model", "small.txt"]);
  });

  test("we read MLflow's direct run and registered model straight from S3 (a 9 MiB file: above boto3's 8 MB multipart threshold)", async () => {
    const wrote = peer.wrote.direct;
    if (wrote === undefined) throw new Error("MLflow reported no direct run");
    expect(wrote.artifact_uri).toBe(`s3://interop/direct/py/${wrote.run_id}/artifacts`);
    const back = treeSums(await client.downloadArtifacts(wrote.run_id, "", join(work, "their-direct")));
    for (const [rel, sum] of Object.entries(wrote.files)) expect(back[rel], rel).toBe(sum);
    const source = await client.getModelVersionDownloadUri(wrote.registered, "1");
    const modelDir = await getArtifactRepository(source).downloadArtifacts("", join(work, "their-model"));
    expect(treeSums(modelDir)).toEqual(wrote.model);
    const mlmodel = loadYaml(readFileSync(join(modelDir, "MLmodel"), "utf8")) as { flavors: Record<string, unknown>; run_id: string };
    expect(Object.keys(mlmodel.flavors).sort()).toEqual(["python_function", "sklearn"]);
  });

  test("our own models still load after MLflow's reads", async () => {
    await expectSameModel(client, "ts_model_proxied", ours.proxied.model);
    await expectSameModel(client, "ts_model_direct", ours.direct.model);
  });
});

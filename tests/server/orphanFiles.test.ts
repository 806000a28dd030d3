/**
 * Temporary files left by a process killed with SIGKILL are removed at the next start (or
 * never left among a run's files): an upload interrupted by kill -9 of the server, `.tmp-*`
 * files in a FileStore's run folders, `mlflow-model-*` folders in the temp folder. Files of
 * live processes are kept.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileStore } from "../../src/tracking/store/fileStore";
import { MlflowClient } from "../../src/tracking/client";
import { logModelToRun } from "../../src/tracking/model/logModel";
import { startServerProcess } from "./serverProcess";

/** A pid no process has any more (a child that has exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("orphan temporary files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "orphans-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("an upload cut by kill -9 of the server leaves nothing among the run's artifacts, and its temp file goes at the next start", async () => {
    const artifacts = join(dir, "artifacts");
    const args = ["--backend-store-uri", `sqlite:///${join(dir, "db.sqlite")}`, "--artifacts-destination", artifacts];
    const server = await startServerProcess(args);
    let killedPid = 0;
    try {
      const { hostname, port } = new URL(server.url);
      // A long upload that never finishes: a few chunks, then the server is killed mid-stream.
      const req = request({ hostname, port, method: "PUT", path: "/api/2.0/mlflow-artifacts/artifacts/0/run1/artifacts/big.bin", headers: { "Content-Length": String(64 * 1024 * 1024) } });
      req.on("error", () => undefined);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(64 * 1024, 1));
      const staging = join(artifacts, ".uploads");
      for (let i = 0; i < 200 && !(existsSync(staging) && readdirSync(staging).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(staging).some((n) => n.startsWith(`.upload-${server.process.pid}-`))).toBe(true);
      killedPid = server.process.pid as number;
      server.process.kill("SIGKILL");
      await new Promise((r) => server.process.once("exit", r));
      req.destroy();
    } finally {
      await server.stop();
    }
    expect(existsSync(join(artifacts, "0", "run1", "artifacts", "big.bin"))).toBe(false);
    const left = readdirSync(join(artifacts, ".uploads"));
    expect(left.some((n) => n.startsWith(`.upload-${killedPid}-`))).toBe(true);
    // Something a live process is writing must survive the next start.
    writeFileSync(join(artifacts, ".uploads", `.upload-${process.pid}-live`), "in progress");
    const again = await startServerProcess(args);
    try {
      expect(readdirSync(join(artifacts, ".uploads")).sort()).toEqual([`.upload-${process.pid}-live`]);
      const listing = (await (await fetch(`${again.url}/api/2.0/mlflow-artifacts/artifacts?path=`)).json()) as { files?: Array<{ path: string }> };
      expect((listing.files ?? []).map((f) => f.path)).not.toContain(".uploads");
      expect((await fetch(`${again.url}/api/2.0/mlflow-artifacts/artifacts/.uploads/.upload-${process.pid}-live`)).status).toBe(400);
    } finally {
      await again.stop();
    }
  });

  it("a FileStore-backed server removes .tmp-* files of dead writers from experiment and run folders at start", async () => {
    const root = join(dir, "mlruns");
    const store = new FileStore(root);
    const exp = await store.createExperiment("e");
    const run = (await store.createRun({ experimentId: exp, userId: "u", startTime: 1, tags: [] })).info.runId;
    store.close();
    const dead = deadPid();
    const runDir = join(root, exp, run);
    const orphans = [join(root, exp, `.tmp-${dead}-aaaa`), join(runDir, `.tmp-${dead}-bbbb`), join(root, ".trash", `.tmp-${dead}-cccc`)];
    for (const f of orphans) writeFileSync(f, "half-written meta");
    const live = join(runDir, `.tmp-${process.pid}-live`);
    writeFileSync(live, "being written");
    const server = await startServerProcess(["--backend-store-uri", root, "--artifacts-destination", join(dir, "fs-artifacts")]);
    await server.stop();
    for (const f of orphans) expect(existsSync(f), f).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(join(runDir, "meta.yaml"))).toBe(true);
  });

  it("logModel removes mlflow-model-* folders dead processes left in the temp folder", async () => {
    const dead = deadPid();
    const orphan = join(tmpdir(), `mlflow-model-${dead}-orphan`);
    const live = join(tmpdir(), `mlflow-model-${process.pid}-keep`);
    for (const d of [orphan, live]) {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, "model.json"), "{}");
    }
    try {
      const client = new MlflowClient(join(dir, "model-store"));
      const exp = await client.createExperiment("m");
      const run = await client.createRun(exp);
      await logModelToRun(client, run.info.runId, { toJSON: () => ({ kind: "Ridge", params: {}, state: {} }) });
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith(`mlflow-model-${process.pid}-`))).toEqual([`mlflow-model-${process.pid}-keep`]);
    } finally {
      rmSync(orphan, { recursive: true, force: true });
      rmSync(live, { recursive: true, force: true });
    }
  });
});

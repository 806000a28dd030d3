/**
 * A tracking URI, a study storage or an artifact folder where folders cannot be made (under
 * /proc, where mkdir answers ENOENT although the parent exists) fails at once with a clear error;
 * Node's own recursive mkdir spun there forever at 100% CPU. The commands run in child processes
 * with a time limit, so that a hang fails the test instead of blocking it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeDirs } from "../../src/util/makeDirs";
import { ROOT, runCli } from "./spawnCli";

const dir = mkdtempSync(join(tmpdir(), "cli-mkdirs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nowhere = `/proc/mlflow-demo-ts-${process.pid}`;
const LIMIT_MS = 90_000;

describe("folders that cannot be made", () => {
  it("tune with MLFLOW_TRACKING_URI under /proc fails with an error naming the folder", async () => {
    const r = await runCli(["tune", "--trials", "1", "--rounds", "5"], { env: { MLFLOW_TRACKING_URI: `${nowhere}/mlruns` }, timeoutMs: LIMIT_MS });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`mlflow-demo-ts: cannot create the folder ${nowhere}/mlruns`);
    expect(r.stderr).toContain(`mkdir ${nowhere} failed with ENOENT although its parent exists`);
  }, LIMIT_MS + 10_000);

  it("tune --storage with a SQLite file under /proc fails the same way", async () => {
    const r = await runCli(["tune", "--trials", "1", "--rounds", "5", "--no-tracking", "--storage", `sqlite:///${nowhere}/study.db`], { timeoutMs: LIMIT_MS });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`mlflow-demo-ts: cannot create the folder ${nowhere}`);
  }, LIMIT_MS + 10_000);

  it("an experiment whose artifact location is under /proc fails on logging an artifact", () => {
    const script = `
      const lib = require(${JSON.stringify(join(ROOT, "dist"))});
      (async () => {
        const client = new lib.MlflowClient(${JSON.stringify(join(dir, "mlruns"))});
        const id = await client.createExperiment("e", { artifactLocation: ${JSON.stringify(`${nowhere}/artifacts`)} });
        const run = await client.createRun(id);
        require("node:fs").writeFileSync(${JSON.stringify(join(dir, "a.txt"))}, "a");
        await client.logArtifact(run.info.runId, ${JSON.stringify(join(dir, "a.txt"))});
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: LIMIT_MS, killSignal: "SIGKILL" });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot create the folder ${nowhere}/artifacts/`);
  }, LIMIT_MS + 10_000);
});

describe("makeDirs", () => {
  it("creates missing parents, accepts an existing folder, and names a file in the way", () => {
    makeDirs(join(dir, "a", "b", "c"));
    makeDirs(join(dir, "a", "b"));
    expect(statSync(join(dir, "a", "b", "c")).isDirectory()).toBe(true);
    writeFileSync(join(dir, "file"), "x");
    expect(() => makeDirs(join(dir, "file", "x", "y"))).toThrow(`cannot create the folder ${join(dir, "file", "x", "y")}: ${join(dir, "file")} exists and is not a folder`);
  });
});

import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runsCommand } from "../../src/cli/runsCommand";
import { MlflowClient } from "../../src/tracking";
import { tempDir } from "./helpers";

async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    return { code: await runsCommand.run(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe("mlflow-demo-ts runs", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const root = join(tmp.dir, "mlruns");
  const client = new MlflowClient(root);
  const expId = await client.createExperiment("olx");
  const done = await client.createRun(expId, { runName: "ridge", startTime: 1000 });
  await client.logMetric(done.info.runId, "mean_test_rmse", 12.5);
  await client.logParam(done.info.runId, "model", "Ridge");
  await client.setTerminated(done.info.runId);
  const stale = await client.createRun(expId, { runName: "stale", startTime: 2000 });

  it("lists runs with their metrics as a table and as one JSON line", async () => {
    const { code, out } = await runCli(["--tracking-uri", root, "--experiment", "olx", "--json"]);
    expect(code).toBe(0);
    expect(out).toContain('Experiment "olx"');
    expect(out).toMatch(/ridge\s+FINISHED\s+1970-01-01 00:00:01\s+12\.5/);
    const last = JSON.parse(out.trim().split("\n").at(-1) as string) as {
      experiments: Array<{ name: string; runs: Array<{ runName: string; status: string; metrics: Record<string, number>; params: Record<string, string> }> }>;
    };
    expect(last.experiments.map((e) => e.name)).toEqual(["olx"]);
    expect(last.experiments[0]?.runs.map((r) => [r.runName, r.status])).toEqual([["stale", "RUNNING"], ["ridge", "FINISHED"]]);
    expect(last.experiments[0]?.runs[1]).toMatchObject({ metrics: { mean_test_rmse: 12.5 }, params: { model: "Ridge" } });
  });

  it("closes runs left RUNNING as KILLED with --kill-running", async () => {
    const { code, out } = await runCli(["--tracking-uri", root, "--kill-running", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(out.trim().split("\n").at(-1) as string).killed).toEqual([stale.info.runId]);
    expect((await client.getRun(stale.info.runId)).info.status).toBe("KILLED");
  });

  it("fails clearly for an unknown experiment", async () => {
    const { code, err } = await runCli(["--tracking-uri", root, "--experiment", "nope"]);
    expect(code).toBe(1);
    expect(err).toContain('no experiment named "nope"');
  });
});

/**
 * `mlflow-demo-ts data | head -1`: when the reader closes the pipe, every command that prints
 * exits quietly (status 0, no EPIPE stack trace): the entry point handles a closed stdout or
 * stderr for all commands; here a sample of them. The pipe is closed before the command writes
 * anything, so every write it makes meets the closed pipe.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/tracking";
import { runCli, type CliResult } from "./spawnCli";

const dir = mkdtempSync(join(tmpdir(), "cli-pipes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a closed stdout", () => {
  const store = join(dir, "mlruns");
  const csv = join(dir, "train.csv");
  const commands: Array<[string, string[]]> = [
    ["data", ["data"]],
    ["runs", ["runs", "--tracking-uri", store]],
    ["boost", ["boost", "--csv", csv, "--label", "y", "--rounds", "3"]],
    ["help", ["help"]],
    ["train --help", ["train", "--help"]],
    ["tune --help", ["tune", "--help"]],
  ];
  let results: CliResult[] = [];
  beforeAll(async () => {
    const client = new MlflowClient(store);
    const run = await client.createRun(await client.createExperiment("e"), { runName: "r" });
    await client.logMetric(run.info.runId, "rmse", 1.5);
    writeFileSync(csv, "a,b,y\n" + Array.from({ length: 50 }, (_, i) => `${i},${i % 7},${2 * i + (i % 3)}`).join("\n") + "\n");
    results = await Promise.all(commands.map(([, args]) => runCli(args, { onSpawn: (child) => child.stdout?.destroy() })));
  }, 180_000);

  commands.forEach(([name], k) => {
    it(`${name}: exits 0 without a stack trace`, () => {
      const r = results[k]!;
      expect(r.stderr).not.toMatch(/EPIPE|Error|at .*\(node:/);
      expect(r.code).toBe(0);
    });
  });
});

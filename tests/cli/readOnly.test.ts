/**
 * Read-only commands never write: `runs` and `serve` on a folder that is not an MLflow store (or
 * a mistyped one) fail with a clear error and create nothing (they used to create `.trash/` and
 * `0/meta.yaml` and print "0 run(s)"); on a real store, `runs` changes no file.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { runsCommand } from "../../src/cli/runsCommand";
import { serveCommand } from "../../src/cli/serveCommand";
import { MlflowClient } from "../../src/tracking";

const dir = mkdtempSync(join(tmpdir(), "cli-read-only-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file and folder under `root` with its size and modification time. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      out.push(`${relative(root, p)} ${st.isDirectory() ? "dir" : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out.sort();
}

async function quietly<T>(run: () => Promise<T>): Promise<{ result: T; out: string }> {
  let out = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return { result: await run(), out };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe("read-only commands", () => {
  it("runs on a folder that is not a store: an error naming it, and nothing written", async () => {
    const folder = join(dir, "etc-like");
    mkdirSync(folder);
    writeFileSync(join(folder, "passwd"), "root:x:0:0\n");
    const before = snapshot(folder);
    await expect(quietly(() => runsCommand.run(["--tracking-uri", folder]))).rejects.toThrow(
      `No MLflow store at ${folder}: it has neither .trash/ nor 0/meta.yaml (nothing was written there).`,
    );
    await expect(quietly(() => runsCommand.run(["--tracking-uri", `file://${folder}`, "--kill-running"]))).rejects.toThrow(/No MLflow store/);
    expect(snapshot(folder)).toEqual(before);
  });

  it("runs on a mistyped folder: an error, and the folder is not created", async () => {
    const mistyped = join(dir, "mlrunz");
    await expect(quietly(() => runsCommand.run(["--tracking-uri", mistyped]))).rejects.toThrow(`No MLflow store at ${mistyped}: the folder does not exist`);
    expect(readdirSync(dir)).not.toContain("mlrunz");
  });

  it("serve on a folder that is not a store: the same error, nothing written", async () => {
    const folder = join(dir, "not-a-store");
    mkdirSync(folder);
    await expect(quietly(() => serveCommand.run(["models:/m@champion", "--port", "0", "--tracking-uri", folder]))).rejects.toThrow(/No MLflow store at .*not-a-store/);
    expect(readdirSync(folder)).toEqual([]);
  });

  it("runs on a real store lists it and changes no file", async () => {
    const store = join(dir, "mlruns");
    const client = new MlflowClient(store);
    const run = await client.createRun(await client.createExperiment("olx"), { runName: "ridge" });
    await client.logMetric(run.info.runId, "rmse", 2.5);
    await client.setTerminated(run.info.runId);
    const before = snapshot(store);
    const { result, out } = await quietly(() => runsCommand.run(["--tracking-uri", store, "--json"]));
    expect(result).toBe(0);
    expect(out).toMatch(/ridge\s+FINISHED/);
    expect(snapshot(store)).toEqual(before);
  });
});

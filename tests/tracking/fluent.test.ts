import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as mlflow from "../../src/tracking";
import { MlflowClient, MlflowError, tagsToRecord, metricsToRecord } from "../../src/tracking";
import { isGeneratedRunName } from "../../src/tracking/runNames";
import { gitCommitOf } from "../../src/tracking/systemTags";
import { tempDir } from "./helpers";

describe("fluent API", () => {
  const tmp = tempDir();
  afterAll(() => {
    delete process.env.MLFLOW_TRACKING_URI;
    delete process.env.MLFLOW_EXPERIMENT_NAME;
    tmp.cleanup();
  });

  it("honours MLFLOW_TRACKING_URI and MLFLOW_EXPERIMENT_NAME when nothing is set", async () => {
    const envRoot = join(tmp.dir, "env-mlruns");
    process.env.MLFLOW_TRACKING_URI = `file://${envRoot}`;
    process.env.MLFLOW_EXPERIMENT_NAME = "from-env";
    const value = await mlflow.startRun({}, async (run) => {
      await mlflow.logMetric("m", 1);
      return run.info.experimentId;
    });
    const client = new MlflowClient(envRoot);
    const exp = await client.getExperimentByName("from-env");
    expect(exp?.experimentId).toBe(value);
    expect((await client.searchAllRuns([value])).length).toBe(1);
  });

  it("starts runs with MLflow's system tags and a generated name, and logs through the active run", async () => {
    mlflow.setTrackingUri(join(tmp.dir, "mlruns"));
    const exp = await mlflow.setExperiment("fluent");
    const run = await mlflow.startRun();
    expect(mlflow.activeRun()?.info.runId).toBe(run.info.runId);
    const tags = tagsToRecord(run.data.tags);
    expect(isGeneratedRunName(run.info.runName)).toBe(true);
    expect(tags["mlflow.runName"]).toBe(run.info.runName);
    expect(tags["mlflow.source.type"]).toBe("LOCAL");
    expect(tags["mlflow.user"]).toBe(run.info.userId);
    expect(tags["mlflow.source.name"]).toBe(process.argv[1]);
    await mlflow.logParams({ alpha: 0.5, model: "Ridge" });
    await mlflow.logParam("folds", 5);
    await mlflow.logMetrics({ mean_test_rmse: 1.25, mean_train_rmse: 1 }, { step: 3 });
    await mlflow.logMetric("loss", 0.5, { step: 1, timestamp: 42 });
    await mlflow.setTags({ stage: "dev" });
    await mlflow.setTag("extra", 1);
    await mlflow.logDict({ a: 1, b: [1, 2] }, "config/params.json");
    await mlflow.logDict({ a: "1" }, "config/params.yaml");
    await mlflow.logText("hi", "readme.txt");
    expect(await mlflow.getArtifactUri("readme.txt")).toBe(`${run.info.artifactUri}/readme.txt`);
    await mlflow.endRun();
    expect(mlflow.activeRun()).toBeNull();
    const client = mlflow.getClient();
    const got = await client.getRun(run.info.runId);
    expect(got.info.status).toBe("FINISHED");
    expect(got.info.experimentId).toBe(exp.experimentId);
    expect(tagsToRecord(got.data.params)).toEqual({ alpha: "0.5", model: "Ridge", folds: "5" });
    expect(metricsToRecord(got.data.metrics)).toEqual({ mean_test_rmse: 1.25, mean_train_rmse: 1, loss: 0.5 });
    expect(await client.getMetricHistory(run.info.runId, "loss")).toEqual([{ key: "loss", value: 0.5, timestamp: 42, step: 1 }]);
    expect(tagsToRecord(got.data.tags)).toMatchObject({ stage: "dev", extra: "1" });
    const artifactDir = join(tmp.dir, "mlruns", exp.experimentId, run.info.runId, "artifacts");
    expect(JSON.parse(readFileSync(join(artifactDir, "config", "params.json"), "utf8"))).toEqual({ a: 1, b: [1, 2] });
    expect(readFileSync(join(artifactDir, "config", "params.yaml"), "utf8")).toBe("a: '1'\n");
    expect((await client.listArtifacts(run.info.runId)).map((f) => `${f.path}:${f.isDir}`)).toEqual(["config:true", "readme.txt:false"]);
  });

  it("nests runs with mlflow.parentRunId and refuses a second top-level run", async () => {
    const parent = await mlflow.startRun({ runName: "parent" });
    const err = await mlflow.startRun().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(MlflowError);
    expect((err as Error).message).toMatch(/is already active.*nested/);
    const child = await mlflow.startRun({ nested: true, runName: "child" });
    expect(tagsToRecord(child.data.tags)["mlflow.parentRunId"]).toBe(parent.info.runId);
    await mlflow.endRun();
    expect(mlflow.activeRun()?.info.runId).toBe(parent.info.runId);
    await mlflow.endRun();
    const children = await mlflow.searchRuns({ filterString: `tags.mlflow.parentRunId = '${parent.info.runId}'` });
    expect(children.map((r) => r.info.runName)).toEqual(["child"]);
  });

  it("ends a callback run FINISHED on success and FAILED when the callback throws", async () => {
    const client = mlflow.getClient();
    const okId = await mlflow.startRun({ runName: "ok" }, async (run) => {
      await mlflow.logMetric("x", 1);
      return run.info.runId;
    });
    expect((await client.getRun(okId)).info.status).toBe("FINISHED");
    let failedId = "";
    await expect(
      mlflow.withRun({ runName: "boom" }, async (run) => {
        failedId = run.info.runId;
        await mlflow.withRun({ nested: true }, async () => {
          throw new Error("inner failure");
        });
      }),
    ).rejects.toThrow("inner failure");
    const failed = await client.getRun(failedId);
    expect(failed.info.status).toBe("FAILED");
    expect(failed.info.endTime).not.toBeNull();
    expect(mlflow.activeRun()).toBeNull();
  });

  it("keeps concurrent callback runs apart", async () => {
    const ids = await Promise.all(
      [0, 1, 2].map((i) =>
        mlflow.withRun({ runName: `par-${i}` }, async (run) => {
          for (let step = 0; step < 5; step++) {
            await mlflow.logMetric("i", i, { step });
            await new Promise((r) => setTimeout(r, 1));
          }
          expect(mlflow.activeRun()?.info.runId).toBe(run.info.runId);
          return run.info.runId;
        }),
      ),
    );
    const client = mlflow.getClient();
    for (const [i, id] of ids.entries()) {
      expect((await client.getMetricHistory(id, "i")).map((m) => m.value)).toEqual([i, i, i, i, i]);
    }
  });

  it("resumes an existing run by id and ends it again", async () => {
    const first = await mlflow.startRun({}, async (run) => {
      await mlflow.logMetric("epoch", 1, { step: 1 });
      return run.info.runId;
    });
    const resumed = await mlflow.startRun({ runId: first, tags: { resumed: "yes" } });
    expect(resumed.info.status).toBe("RUNNING");
    await mlflow.logMetric("epoch", 2, { step: 2 });
    await mlflow.endRun();
    const run = await mlflow.getClient().getRun(first);
    expect(run.info.status).toBe("FINISHED");
    expect(tagsToRecord(run.data.tags).resumed).toBe("yes");
    expect((await mlflow.getClient().getMetricHistory(first, "epoch")).map((m) => m.value)).toEqual([1, 2]);
  });

  it("lists a run left RUNNING and closes it as KILLED", async () => {
    const run = await mlflow.startRun({ runName: "abandoned" });
    const client = mlflow.getClient();
    const running = await client.listRunningRuns([run.info.experimentId]);
    expect(running.map((r) => r.info.runId)).toEqual([run.info.runId]);
    expect(await client.killRuns(running)).toEqual([run.info.runId]);
    expect((await client.getRun(run.info.runId)).info.status).toBe("KILLED");
    await mlflow.endRun("KILLED");
  });
});

describe("mlflow.source.git.commit", () => {
  it("reads the checked-out commit from .git (loose and packed refs, detached HEAD), null outside a repository", () => {
    const tmp = tempDir();
    try {
      const repo = join(tmp.dir, "repo");
      mkdirSync(join(repo, ".git", "refs", "heads"), { recursive: true });
      mkdirSync(join(repo, "src"), { recursive: true });
      writeFileSync(join(repo, "src", "train.js"), "");
      const sha = "0123456789abcdef0123456789abcdef01234567";
      writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/main\n");
      expect(gitCommitOf(join(repo, "src", "train.js"))).toBeNull();
      writeFileSync(join(repo, ".git", "packed-refs"), `# pack-refs\n${sha} refs/heads/main\n`);
      expect(gitCommitOf(join(repo, "src", "train.js"))).toBe(sha);
      const loose = "fedcba9876543210fedcba9876543210fedcba98";
      writeFileSync(join(repo, ".git", "refs", "heads", "main"), loose + "\n");
      expect(gitCommitOf(join(repo, "src"))).toBe(loose);
      writeFileSync(join(repo, ".git", "HEAD"), sha + "\n");
      expect(gitCommitOf(repo)).toBe(sha);
      expect(gitCommitOf(tmp.dir)).toBeNull();
    } finally {
      tmp.cleanup();
    }
  });

  it("reads a linked worktree's commit (git worktree add), whose branch lives in the main repository", () => {
    const tmp = tempDir();
    try {
      const repo = join(tmp.dir, "main");
      const git = (cwd: string, ...args: string[]): string =>
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd, encoding: "utf8" }).trim();
      mkdirSync(repo);
      git(repo, "init", "-q", "-b", "main");
      writeFileSync(join(repo, "train.js"), "");
      git(repo, "add", "train.js");
      git(repo, "commit", "-q", "-m", "first");
      git(repo, "worktree", "add", "-q", "-b", "talk", join(tmp.dir, "wt"));
      writeFileSync(join(tmp.dir, "wt", "more.js"), "");
      git(join(tmp.dir, "wt"), "add", "more.js");
      git(join(tmp.dir, "wt"), "commit", "-q", "-m", "second");
      expect(gitCommitOf(join(tmp.dir, "wt", "more.js"))).toBe(git(join(tmp.dir, "wt"), "rev-parse", "HEAD"));
      expect(gitCommitOf(join(repo, "train.js"))).toBe(git(repo, "rev-parse", "HEAD"));
    } finally {
      tmp.cleanup();
    }
  });
});

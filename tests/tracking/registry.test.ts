import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MlflowClient, MlflowError } from "../../src/tracking";
import { HAS_PYYAML, PYTHON, tempDir } from "./helpers";

async function errorOf(p: Promise<unknown>): Promise<MlflowError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MlflowError);
  return err as MlflowError;
}

describe("model registry on the FileStore (mlruns/models/)", async () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const root = join(tmp.dir, "mlruns");
  const client = new MlflowClient(root);
  const expId = await client.createExperiment("reg");
  const run = await client.createRun(expId);
  const runId = run.info.runId;
  await client.createRegisteredModel("fs-model", { description: "desc", tags: { owner: "team" } });
  const v1 = await client.createModelVersion("fs-model", `runs:/${runId}/model`, { description: "first" });
  const v2 = await client.createModelVersion("fs-model", `runs:/${runId}/model2`);
  const v3 = await client.createModelVersion("fs-model", `runs:/${runId}/model3`);

  it("creates versions 1, 2, 3 with the run's artifact URI as source", () => {
    expect([v1.version, v2.version, v3.version]).toEqual(["1", "2", "3"]);
    expect(v1).toMatchObject({ currentStage: "None", status: "READY", runId, description: "first" });
    expect(v1.source).toBe(`${run.info.artifactUri}/model`);
  });

  it("sets, reads and deletes aliases; reserved and malformed aliases are rejected", async () => {
    await client.setRegisteredModelAlias("fs-model", "champion", 1);
    await client.setRegisteredModelAlias("fs-model", "challenger", "2");
    expect((await client.getModelVersionByAlias("fs-model", "champion")).version).toBe("1");
    expect(readFileSync(join(root, "models", "fs-model", "aliases", "champion"), "utf8")).toBe("1");
    expect((await client.getModelVersion("fs-model", 2)).aliases).toEqual(["challenger"]);
    expect((await client.getRegisteredModel("fs-model")).aliases).toEqual([
      { alias: "challenger", version: "2" },
      { alias: "champion", version: "1" },
    ]);
    await client.deleteRegisteredModelAlias("fs-model", "challenger");
    expect((await errorOf(client.getModelVersionByAlias("fs-model", "challenger"))).errorCode).toBe("INVALID_PARAMETER_VALUE");
    for (const bad of ["latest", "LATEST", "v1", "V12", "a b", "x/y"]) {
      expect((await errorOf(client.setRegisteredModelAlias("fs-model", bad, 1))).errorCode).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("transitions stages, archiving existing versions on request, and answers get-latest-versions", async () => {
    await client.transitionModelVersionStage("fs-model", 1, "staging");
    await client.transitionModelVersionStage("fs-model", 2, "Production");
    await client.transitionModelVersionStage("fs-model", 3, "Production", true);
    expect((await client.getModelVersion("fs-model", 1)).currentStage).toBe("Staging");
    expect((await client.getModelVersion("fs-model", 2)).currentStage).toBe("Archived");
    expect((await client.getModelVersion("fs-model", 3)).currentStage).toBe("Production");
    expect((await client.getLatestVersions("fs-model", ["Production"])).map((v) => v.version)).toEqual(["3"]);
    expect((await client.getLatestVersions("fs-model")).map((v) => `${v.currentStage}:${v.version}`)).toEqual([
      "Staging:1", "Production:3", "Archived:2",
    ]);
    expect((await errorOf(client.transitionModelVersionStage("fs-model", 1, "Gold"))).errorCode).toBe("INVALID_PARAMETER_VALUE");
  });

  it("updates descriptions and tags, searches models and versions", async () => {
    await client.updateModelVersion("fs-model", 1, "first, updated");
    await client.setModelVersionTag("fs-model", 1, "validated", "yes");
    expect(await client.getModelVersion("fs-model", 1)).toMatchObject({ description: "first, updated", tags: [{ key: "validated", value: "yes" }] });
    await client.updateRegisteredModel("fs-model", "desc");
    await client.createRegisteredModel("other-model");
    expect((await client.searchRegisteredModels()).items.map((m) => m.name)).toEqual(["fs-model", "other-model"]);
    expect((await client.searchRegisteredModels({ filterString: "name LIKE 'fs-%'" })).items.map((m) => m.name)).toEqual(["fs-model"]);
    expect((await client.searchRegisteredModels({ filterString: "tags.owner = 'team'" })).items.map((m) => m.name)).toEqual(["fs-model"]);
    const page = await client.searchRegisteredModels({ maxResults: 1 });
    expect(page.items.length).toBe(1);
    expect((await client.searchRegisteredModels({ maxResults: 1, pageToken: page.nextPageToken })).items.map((m) => m.name)).toEqual(["other-model"]);
    expect((await client.searchModelVersions({ filterString: `run_id = '${runId}'` })).items.map((v) => v.version)).toEqual(["3", "2", "1"]);
    expect((await client.searchModelVersions({ filterString: "name = 'fs-model' and tags.validated = 'yes'" })).items.map((v) => v.version)).toEqual(["1"]);
  });

  it("writes version and model meta.yaml as in the reference", () => {
    const text = readFileSync(join(root, "models", "fs-model", "version-1", "meta.yaml"), "utf8");
    expect(text).toMatch(
      new RegExp(
        "^aliases:\n- champion\ncreation_timestamp: \\d{13}\ncurrent_stage: Staging\ndescription: first, updated\n" +
          `last_updated_timestamp: \\d{13}\nname: fs-model\nrun_id: ${runId}\nrun_link: null\nsource: file://.*/model\n` +
          "status: READY\nstatus_message: null\nstorage_location: file://.*/model\nuser_id: null\nversion: 1\n$",
      ),
    );
    expect(readFileSync(join(root, "models", "fs-model", "meta.yaml"), "utf8")).toMatch(
      /^aliases:\n {2}champion: '1'\ncreation_timestamp: \d{13}\ndescription: desc\nlast_updated_timestamp: \d{13}\nname: fs-model\n$/,
    );
  });

  it.skipIf(!HAS_PYYAML)("is read by the MLflow-format Python reader without errors", () => {
    const r = spawnSync(PYTHON, [join(__dirname, "mlflow_filestore_reader.py"), root], { encoding: "utf8" });
    const read = JSON.parse(r.stdout) as { errors: string[]; models: Record<string, { aliases: Record<string, string>; versions: Record<string, unknown> }> };
    expect(read.errors).toEqual([]);
    expect(read.models["fs-model"]?.aliases).toEqual({ champion: "1" });
    expect(Object.keys(read.models["fs-model"]?.versions ?? {})).toEqual(["version-1", "version-2", "version-3"]);
  });

  it("deletes a version (numbers are not reused), renames and deletes a model", async () => {
    await client.deleteModelVersion("fs-model", 3);
    expect((await errorOf(client.getModelVersion("fs-model", 3))).errorCode).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await client.createModelVersion("fs-model", "file:///tmp/x")).version).toBe("4");
    await client.renameRegisteredModel("fs-model", "renamed-model");
    expect((await client.getModelVersion("renamed-model", 1)).name).toBe("renamed-model");
    expect((await client.getModelVersionByAlias("renamed-model", "champion")).version).toBe("1");
    expect((await errorOf(client.getRegisteredModel("fs-model"))).errorCode).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await errorOf(client.createRegisteredModel("renamed-model"))).errorCode).toBe("RESOURCE_ALREADY_EXISTS");
    await client.deleteRegisteredModel("renamed-model");
    expect((await client.searchRegisteredModels()).items.map((m) => m.name)).toEqual(["other-model"]);
  });
});

/**
 * Authorization of MLflow 3's logged-model endpoints on a real server on 127.0.0.1: each
 * reads or writes the experiment the model belongs to (by canonical id), so a user with
 * NO_PERMISSIONS on experiment 1 can neither read nor change its models, nor reach them by
 * linking them (as a run's output or input, or as a model version's source); a search
 * answers only experiments the user may read, page after full page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import type { AuthConfig } from "../../src/server/auth";

const API = "/api/2.0/mlflow";
const AJAX = "/ajax-api/2.0/mlflow";
const PROXY = "/api/2.0/mlflow-artifacts/artifacts";

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

interface ModelJson {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  status: string;
}

describe("authorization of logged models (MLflow 3 endpoints)", () => {
  let dir: string;
  let stores: ServerStores;
  let server: RunningServer;
  let privateModel: ModelJson;
  let deletedPrivateModel: string;
  let sharedModels: ModelJson[];
  let sharedRun: string;

  const users: AuthConfig = {
    users: [
      { username: "admin", password: "a", permissions: { "*": "MANAGE" } },
      { username: "reader", password: "r", permissions: { "*": "READ", "1": "NO_PERMISSIONS" } },
      { username: "writer", password: "w", permissions: { "*": "WRITE", "01": "NO_PERMISSIONS" } },
      { username: "narrow", password: "n", permissions: { "02": "READ" } },
    ],
  };

  const as = (user: string, pw: string) => {
    const send = (method: string, path: string, body?: unknown, prefix = API) =>
      fetch(server.url + prefix + "/" + path, {
        method,
        headers: { ...basic(user, pw), ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    return {
      get: (path: string, prefix = API) => send("GET", path, undefined, prefix),
      post: (path: string, body: unknown) => send("POST", path, body),
      patch: (path: string, body: unknown) => send("PATCH", path, body),
      del: (path: string, body?: unknown) => send("DELETE", path, body),
      put: (path: string, content: string) => fetch(server.url + path, { method: "PUT", headers: basic(user, pw), body: content }),
    };
  };
  const admin = as("admin", "a");
  const reader = as("reader", "r");
  const writer = as("writer", "w");
  const narrow = as("narrow", "n");

  async function createModel(experimentId: string, name: string): Promise<ModelJson> {
    const r = await admin.post("logged-models", { experiment_id: experimentId, name, tags: [{ key: "owner", value: "ana" }], params: [{ key: "alpha", value: "1" }] });
    expect(r.status).toBe(200);
    const model = ((await r.json()) as { model: { info: ModelJson } }).model.info;
    // Its files, through the artifact proxy under the experiment's folder.
    const proxied = model.artifact_uri.replace(/^mlflow-artifacts:/, "");
    expect((await admin.put(`${PROXY}${proxied}/MLmodel`, `secret flavors of ${name}`)).status).toBe(200);
    return model;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-model-authz-"));
    stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    expect(await stores.tracking.createExperiment("private-experiment")).toBe("1");
    expect(await stores.tracking.createExperiment("shared-experiment")).toBe("2");
    sharedRun = (await stores.tracking.createRun({ experimentId: "2", userId: "bob", startTime: 1, tags: [], runName: "open-run" })).info.runId;
    server = await startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth: users }, "127.0.0.1", 0);
    privateModel = await createModel("1", "secret-model");
    deletedPrivateModel = (await createModel("1", "deleted-secret")).model_id;
    expect((await admin.del(`logged-models/${deletedPrivateModel}`)).status).toBe(200);
    sharedModels = [];
    for (let i = 0; i < 5; i++) sharedModels.push(await createModel("2", `open-model-${i}`));
  });
  afterAll(async () => {
    await server?.close();
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the model's experiment as its experiment id, and its files under that experiment's folder", () => {
    expect(privateModel.experiment_id).toBe("1");
    expect(privateModel.artifact_uri).toMatch(new RegExp(`^mlflow-artifacts:/1/models/${privateModel.model_id}/artifacts$`));
  });

  it("refuses every read of experiment 1's model (REST, the UI's ajax-api, artifact listing and file), and allows experiment 2's", async () => {
    for (const [user, label] of [[reader, "reader"], [writer, "writer"], [narrow, "narrow"]] as const) {
      for (const prefix of [API, AJAX]) {
        const got = await user.get(`logged-models/${privateModel.model_id}`, prefix);
        expect(got.status, `${label} get ${prefix}`).toBe(403);
        expect(await got.text()).not.toContain("secret-model");
      }
      expect((await user.get(`logged-models/${privateModel.model_id}/artifacts/directories`)).status, `${label} directories`).toBe(403);
      const file = await user.get(`logged-models/${privateModel.model_id}/artifacts/files?artifact_file_path=MLmodel`);
      expect(file.status, `${label} file`).toBe(403);
      expect(await file.text()).not.toContain("secret flavors");
      expect((await user.get(`logged-models/${privateModel.model_id}/artifacts/files?artifact_file_path=MLmodel`, AJAX)).status).toBe(403);
    }
    // The same files through the artifact proxy, under the experiment's folder however it is spelled.
    const proxied = privateModel.artifact_uri.replace(/^mlflow-artifacts:/, "");
    for (const path of [proxied, proxied.replace(/^\/1\//, "/01/")]) {
      const r = await fetch(`${server.url}${PROXY}${path}/MLmodel`, { headers: basic("reader", "r") });
      expect(r.status, path).toBe(403);
    }

    const open = sharedModels[0] as ModelJson;
    const got = await narrow.get(`logged-models/${open.model_id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { model: { info: ModelJson } }).model.info.name).toBe("open-model-0");
    const file = await narrow.get(`logged-models/${open.model_id}/artifacts/files?artifact_file_path=MLmodel`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("secret flavors of open-model-0");
    const listing = await narrow.get(`logged-models/${open.model_id}/artifacts/directories`);
    expect(listing.status).toBe(200);
    expect(((await listing.json()) as { files: Array<{ path: string }> }).files.map((f) => f.path)).toEqual(["MLmodel"]);
  });

  it("refuses every change to experiment 1's models, whatever spelling of the id, and leaves them as they were", async () => {
    const id = privateModel.model_id;
    for (const experimentId of ["1", "01", " 1", "+1", 1]) {
      expect((await writer.post("logged-models", { experiment_id: experimentId, name: "planted" })).status, `create in ${JSON.stringify(experimentId)}`).toBe(403);
    }
    expect((await writer.patch(`logged-models/${id}`, { model_id: id, status: "LOGGED_MODEL_READY" })).status).toBe(403);
    // Finalize reads the model id from the body (as MLflow's server): the check follows the body, not the path.
    const open = sharedModels[1] as ModelJson;
    expect((await writer.patch(`logged-models/${open.model_id}`, { model_id: id, status: "LOGGED_MODEL_FAILED" })).status).toBe(403);
    expect((await writer.patch(`logged-models/${id}/tags`, { tags: [{ key: "owner", value: "mallory" }] })).status).toBe(403);
    expect((await writer.del(`logged-models/${id}/tags/owner`)).status).toBe(403);
    expect((await writer.post(`logged-models/${id}/params`, { model_id: id, params: [{ key: "beta", value: "2" }] })).status).toBe(403);
    expect((await writer.del(`logged-models/${id}`)).status).toBe(403);
    // A model the store no longer shows may be any experiment's: deleting it again needs WRITE on every experiment.
    expect((await writer.del(`logged-models/${deletedPrivateModel}`)).status).toBe(403);
    expect((await writer.del(`logged-models/m-${"0".repeat(32)}`)).status).toBe(403);
    const proxied = privateModel.artifact_uri.replace(/^mlflow-artifacts:/, "");
    expect((await writer.put(`${PROXY}${proxied}/MLmodel`, "overwritten")).status).toBe(403);

    const after = await stores.tracking.getLoggedModel(id);
    expect(after.status).toBe("PENDING");
    expect(after.tags).toEqual([{ key: "owner", value: "ana" }]);
    expect(after.params).toEqual([{ key: "alpha", value: "1" }]);
    expect(await (await admin.get(`logged-models/${id}/artifacts/files?artifact_file_path=MLmodel`)).text()).toBe("secret flavors of secret-model");
    expect((await stores.tracking.searchLoggedModels({ experimentIds: ["1"] })).items.map((m) => m.name)).toEqual(["secret-model"]);
    // The same writes on experiment 2 go through.
    expect((await writer.patch(`logged-models/${open.model_id}`, { model_id: open.model_id, status: "LOGGED_MODEL_READY" })).status).toBe(200);
    expect((await writer.patch(`logged-models/${open.model_id}/tags`, { tags: [{ key: "reviewed", value: "yes" }] })).status).toBe(200);
    // An admin may delete a deleted model again (MLflow's SQL store allows it).
    expect((await admin.del(`logged-models/${deletedPrivateModel}`)).status).toBe(200);
  });

  it("refuses a search naming experiment 1 (any spelling), and pages a readable experiment's models in full pages", async () => {
    for (const ids of [["1"], ["01"], [" 1"], ["2", "1"], [1]]) {
      const r = await reader.post("logged-models/search", { experiment_ids: ids });
      expect(r.status, JSON.stringify(ids)).toBe(403);
      const text = await r.text();
      expect(text).not.toContain(privateModel.model_id);
      expect(text).not.toContain("secret-model");
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await reader.post("logged-models/search", { experiment_ids: ["02"], max_results: 2, page_token: token, order_by: [{ field_name: "name", ascending: true }] });
      expect(r.status).toBe(200);
      const page = (await r.json()) as { models?: Array<{ info: ModelJson }>; next_page_token?: string };
      const names = (page.models ?? []).map((m) => m.info.name);
      token = page.next_page_token;
      if (token !== undefined) expect(names).toHaveLength(2);
      seen.push(...names);
    } while (token !== undefined);
    expect(seen).toEqual(["open-model-0", "open-model-1", "open-model-2", "open-model-3", "open-model-4"]);
  });

  it("refuses linking experiment 1's model to a run the user may write, or registering it, and changes nothing", async () => {
    const id = privateModel.model_id;
    expect((await writer.post("runs/outputs", { run_id: sharedRun, models: [{ model_id: id, step: 0 }] })).status).toBe(403);
    expect((await writer.post("runs/log-inputs", { run_id: sharedRun, models: [{ model_id: id }] })).status).toBe(403);
    expect((await writer.post("registered-models/create", { name: "stolen" })).status).toBe(200);
    expect((await writer.post("model-versions/create", { name: "stolen", source: `models:/${id}` })).status).toBe(403);
    expect((await writer.post("model-versions/create", { name: "stolen", source: "s3://elsewhere/model", model_id: id })).status).toBe(403);

    const run = await stores.tracking.getRun(sharedRun);
    expect(run.outputs?.modelOutputs ?? []).toEqual([]);
    expect(run.inputs?.modelInputs ?? []).toEqual([]);
    expect((await stores.registry.searchModelVersions({ filterString: "name = 'stolen'" })).items).toEqual([]);
    expect((await stores.tracking.getLoggedModel(id)).tags.map((t) => t.key)).toEqual(["owner"]);

    // Experiment 2's model links and registers.
    const open = sharedModels[2] as ModelJson;
    expect((await writer.post("runs/outputs", { run_id: sharedRun, models: [{ model_id: open.model_id, step: 3 }] })).status).toBe(200);
    expect((await writer.post("model-versions/create", { name: "stolen", source: `models:/${open.model_id}`, model_id: open.model_id })).status).toBe(200);
    expect((await stores.tracking.getRun(sharedRun)).outputs?.modelOutputs).toEqual([{ modelId: open.model_id, step: 3 }]);
  });
});

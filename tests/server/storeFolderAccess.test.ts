/**
 * A FileStore's own folder, which the server reads artifacts from too (runs logged straight
 * to `mlruns/` are browsed in the web UI without `--artifacts-destination mlruns`): its runs'
 * files are served to those who may read them, and never reached through another
 * experiment's artifact location: a new location inside the folder is refused unless the
 * user is an admin, and a location stored before the checks with a fragment (which URI
 * parsing drops, naming the victim's folder) is not followed.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import type { AuthConfig } from "../../src/server/auth";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import { createUiPages } from "../../src/server/ui/pages";
import { MlflowClient } from "../../src/tracking/client";

const API = "/api/2.0/mlflow";

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

describe("a FileStore's own folder behind the server", () => {
  let dir: string;
  let stores: ServerStores;
  let server: RunningServer;
  let victimId: string;
  let victimRun: { runId: string; artifactUri: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "store-folder-"));
    const mlruns = join(dir, "mlruns");
    // Logged straight into the folder, as `train` without a server does.
    const direct = new MlflowClient(mlruns);
    victimId = await direct.createExperiment("victim");
    const run = await direct.createRun(victimId, { runName: "secret-run" });
    victimRun = { runId: run.info.runId, artifactUri: run.info.artifactUri };
    writeFileSync(join(dir, "secret.txt"), "top secret");
    await direct.logArtifact(run.info.runId, join(dir, "secret.txt"));
    await direct.setTerminated(run.info.runId, "FINISHED");
    stores = await openServerStores(mlruns, join(dir, "mlartifacts"), true);
    const auth: AuthConfig = {
      users: [
        { username: "admin", password: "a", permissions: { "*": "MANAGE" } },
        { username: "owner", password: "o", permissions: { "*": "NO_PERMISSIONS", [victimId]: "READ" } },
        { username: "writer", password: "w", permissions: { "*": "WRITE", [victimId]: "NO_PERMISSIONS" } },
      ],
    };
    server = await startTrackingServer(
      { tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "mlartifacts"), storeArtifactRoot: stores.fileStoreRoot, auth, pages: createUiPages() },
      "127.0.0.1",
      0,
    );
  });
  afterAll(async () => {
    await server?.close();
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (user: string, pw: string, path: string): Promise<Response> => fetch(server.url + path, { headers: basic(user, pw) });
  const post = (user: string, pw: string, path: string, body: unknown): Promise<Response> =>
    fetch(`${server.url}${API}/${path}`, { method: "POST", headers: { ...basic(user, pw), "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("serves the folder's run files to a user who may read the run, and to no one else", async () => {
    expect(victimRun.artifactUri.startsWith(pathToFileURL(join(dir, "mlruns")).href)).toBe(true);
    const list = await get("owner", "o", `${API}/artifacts/list?run_id=${victimRun.runId}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { files?: Array<{ path: string }> }).files?.map((f) => f.path)).toEqual(["secret.txt"]);
    const file = await get("owner", "o", `/get-artifact?run_uuid=${victimRun.runId}&path=secret.txt`);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe("top secret");
    const refused = await get("writer", "w", `/get-artifact?run_uuid=${victimRun.runId}&path=secret.txt`);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain("top secret");
  });

  it("refuses a new artifact location inside the folder unless the user is an admin", async () => {
    const inside = [victimRun.artifactUri, `${pathToFileURL(join(dir, "mlruns")).href}/elsewhere`, join(dir, "mlruns", victimId)];
    for (const [i, location] of inside.entries()) {
      const r = await post("writer", "w", "experiments/create", { name: `trick-${i}`, artifact_location: location });
      expect(r.status, location).toBe(400);
      expect(await r.text()).toContain("tracking store's own folder");
    }
    expect((await post("admin", "a", "experiments/create", { name: "admin-choice", artifact_location: `${pathToFileURL(join(dir, "mlruns")).href}/shared` })).status).toBe(200);
  });

  it("does not follow a location stored with a fragment into another run's folder", async () => {
    const legacy = await stores.tracking.createExperiment("legacy-trick", `${victimRun.artifactUri}#`);
    const created = (await (await post("writer", "w", "runs/create", { experiment_id: legacy, start_time: 1 })).json()) as { run: { info: { run_id: string } } };
    const runId = created.run.info.run_id;
    const list = await get("writer", "w", `${API}/artifacts/list?run_id=${runId}`);
    expect(list.status).toBe(400);
    expect(await list.text()).not.toContain("secret.txt");
    const file = await get("writer", "w", `/get-artifact?run_uuid=${runId}&path=secret.txt`);
    expect(file.status).toBe(400);
    expect(await file.text()).not.toContain("top secret");
  });
});

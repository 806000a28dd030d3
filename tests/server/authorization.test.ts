/**
 * Authorization holes found by the issue-14 probe, each a request that must be refused:
 * experiment ids in non-canonical form (`01`, `001`, ` 1`, `+1`) reaching experiment 1 for
 * users with NO_PERMISSIONS on "1"; web pages and artifact routes (by URL, whatever renders
 * them) checking the same permission as the REST call that reads the same data; artifact
 * locations with a query/fragment or inside another experiment's artifacts; an auth config
 * user with an empty password.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import { loadAuthConfig, type AuthConfig } from "../../src/server/auth";
import { createUiPages } from "../../src/server/ui/pages";

const API = "/api/2.0/mlflow";
const PROXY = "/api/2.0/mlflow-artifacts/artifacts";

function basic(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

describe("authorization by canonical experiment id, on REST, pages and artifacts", () => {
  let dir: string;
  let stores: ServerStores;
  let server: RunningServer;
  let privateId: string;
  let sharedId: string;
  let privateRun: string;
  let sharedRun: string;

  const users: AuthConfig = {
    users: [
      { username: "admin", password: "a", permissions: { "*": "MANAGE" } },
      { username: "reader", password: "r", permissions: { "*": "READ", "1": "NO_PERMISSIONS" } },
      { username: "writer", password: "w", permissions: { "*": "WRITE", "1": "NO_PERMISSIONS" } },
      // Keys are canonicalised too: "02" in a config means experiment 2.
      { username: "narrow", password: "n", permissions: { "02": "READ" } },
    ],
  };

  const as = (user: string, pw: string) => ({
    get: (path: string) => fetch(server.url + path, { headers: basic(user, pw) }),
    post: (path: string, body: unknown) =>
      fetch(server.url + API + "/" + path, { method: "POST", headers: { ...basic(user, pw), "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    put: (path: string, body: string) => fetch(server.url + path, { method: "PUT", headers: basic(user, pw), body }),
  });
  const admin = as("admin", "a");
  const reader = as("reader", "r");
  const writer = as("writer", "w");
  const narrow = as("narrow", "n");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-authz-"));
    stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    privateId = await stores.tracking.createExperiment("private-experiment");
    sharedId = await stores.tracking.createExperiment("shared-experiment");
    expect([privateId, sharedId]).toEqual(["1", "2"]);
    await stores.tracking.setExperimentTag(privateId, { key: "owner", value: "ana" });
    privateRun = (await stores.tracking.createRun({ experimentId: privateId, userId: "ana", startTime: 1, tags: [], runName: "secret-run" })).info.runId;
    sharedRun = (await stores.tracking.createRun({ experimentId: sharedId, userId: "ana", startTime: 1, tags: [], runName: "open-run" })).info.runId;
    await stores.tracking.logBatch(privateRun, { params: [{ key: "secret_param", value: "hush" }], metrics: [{ key: "secret_metric", value: 42, timestamp: 1, step: 0 }] });
    server = await startTrackingServer(
      { tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth: users, pages: createUiPages() },
      "127.0.0.1",
      0,
    );
    expect((await admin.put(`${PROXY}/1/${privateRun}/artifacts/secret.txt`, "top secret")).status).toBe(200);
    expect((await admin.put(`${PROXY}/2/${sharedRun}/artifacts/open.txt`, "open")).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const spellings = ["01", "001", " 1", "+1", "1 "];

  it("refuses READ of experiment 1 under every spelling of its id", async () => {
    for (const id of ["1", ...spellings]) {
      const get = await reader.get(`${API}/experiments/get?experiment_id=${encodeURIComponent(id)}`);
      expect(get.status, `experiments/get ${JSON.stringify(id)}`).toBe(403);
      const search = await reader.post("runs/search", { experiment_ids: [id] });
      expect(search.status, `runs/search ${JSON.stringify(id)}`).toBe(403);
      expect(await search.text()).not.toContain(privateRun);
    }
    const asNumber = await reader.post("runs/search", { experiment_ids: [1] });
    expect(asNumber.status).toBe(403);
    // The allowed experiment stays readable under its other spellings (MLflow reads them as numbers).
    const shared = await reader.get(`${API}/experiments/get?experiment_id=02`);
    expect(shared.status).toBe(200);
    expect(((await shared.json()) as { experiment: { experiment_id: string } }).experiment.experiment_id).toBe("2");
  });

  it("refuses every WRITE to experiment 1 under every spelling, and leaves it untouched", async () => {
    for (const id of spellings) {
      const label = JSON.stringify(id);
      expect((await writer.post("experiments/update", { experiment_id: id, new_name: "pwned" })).status, `rename ${label}`).toBe(403);
      expect((await writer.post("experiments/set-experiment-tag", { experiment_id: id, key: "owner", value: "mallory" })).status, `tag ${label}`).toBe(403);
      expect((await writer.post("runs/create", { experiment_id: id, start_time: 1 })).status, `create run ${label}`).toBe(403);
      expect((await writer.post("experiments/delete", { experiment_id: id })).status, `delete ${label}`).toBe(403);
    }
    const after = await stores.tracking.getExperiment("1");
    expect(after.name).toBe("private-experiment");
    expect(after.lifecycleStage).toBe("active");
    expect(after.tags).toEqual([{ key: "owner", value: "ana" }]);
    expect((await stores.tracking.searchRuns({ experimentIds: ["1"] })).items.map((r) => r.info.runId)).toEqual([privateRun]);
  });

  it("answers a run that does not exist as MLflow does, under auth too", async () => {
    const history = await reader.get(`${API}/metrics/get-history?run_id=${"0".repeat(32)}&metric_key=m`);
    expect(history.status).toBe(200);
    expect(await history.json()).toEqual({});
    expect((await reader.get(`${API}/runs/get?run_id=${"0".repeat(32)}`)).status).toBe(404);
    expect((await narrow.get(`${API}/runs/get?run_id=${"0".repeat(32)}`)).status).toBe(403);
  });

  it("refuses registering a run the user may not read (a model version exposes the run)", async () => {
    expect((await writer.post("registered-models/create", { name: "stolen" })).status).toBe(200);
    const r = await writer.post("model-versions/create", { name: "stolen", source: `mlflow-artifacts:/1/${privateRun}/artifacts/model`, run_id: privateRun });
    expect(r.status).toBe(403);
    const own = await writer.post("model-versions/create", { name: "stolen", source: `mlflow-artifacts:/2/${sharedRun}/artifacts/model`, run_id: sharedRun });
    expect(own.status).toBe(200);
  });

  it("refuses the artifact proxy under a non-canonical experiment folder", async () => {
    expect((await reader.get(`${PROXY}/01/${privateRun}/artifacts/secret.txt`)).status).toBe(403);
    expect((await reader.get(`${PROXY}?path=${encodeURIComponent(`01/${privateRun}/artifacts`)}`)).status).toBe(403);
    expect((await writer.put(`${PROXY}/001/${privateRun}/artifacts/planted.txt`, "x")).status).toBe(403);
    expect((await reader.get(`${PROXY}/1/${privateRun}/artifacts/secret.txt`)).status).toBe(403);
  });

  it("canonicalises experiment ids in the auth config", async () => {
    expect((await narrow.get(`${API}/experiments/get?experiment_id=2`)).status).toBe(200);
    expect((await narrow.get(`${API}/experiments/get?experiment_id=1`)).status).toBe(403);
  });

  it("checks the run's experiment on every page and artifact route", async () => {
    const routes = [
      "/experiments/1",
      "/experiments/01",
      `/runs/${privateRun}`,
      `/compare?runs=${sharedRun},${privateRun}`,
      `/compare?runs=${privateRun}`,
      `/get-artifact?run_id=${privateRun}&path=secret.txt`,
      // The web UI's routes (MLflow's names for them).
      `/get-artifact?run_uuid=${privateRun}&path=secret.txt`,
      `/experiments/1/runs/${privateRun}`,
      `/experiments/01/runs/${privateRun}`,
      `/compare-runs?runs=${privateRun}`,
      `/compare?runs=["${sharedRun}","${privateRun}"]`,
      "/compare-experiments?experiments=2,01",
      "/experiments?ids=2,1",
      "/experiments?name=private-experiment",
      "/compare?experiment=private-experiment",
    ];
    for (const route of routes) {
      const r = await reader.get(route);
      const body = await r.text();
      expect(r.status, route).toBe(403);
      for (const secret of ["secret-run", "secret_param", "secret_metric", "top secret", "hush"]) expect(body, `${route} leaks ${secret}`).not.toContain(secret);
    }
    // What the user may read still renders.
    for (const route of ["/experiments/2", `/runs/${sharedRun}`, `/compare?runs=${sharedRun}`, `/experiments/2/runs/${sharedRun}`, "/experiments?ids=2", "/compare-experiments?experiments=2"]) {
      expect((await reader.get(route)).status, route).toBe(200);
    }
    // The icon needs authentication only, even for a user who may read one experiment.
    expect((await narrow.get("/favicon.ico")).status).toBe(200);
    expect((await fetch(`${server.url}/favicon.ico`)).status).toBe(401);
    const art = await reader.get(`/get-artifact?run_id=${sharedRun}&path=open.txt`);
    expect(art.status).toBe(200);
    expect(await art.text()).toBe("open");
  });

  it("lists only the experiments the user may read, in pages and in REST search (also page by page)", async () => {
    // The page is the web UI's shell, which lists experiments through the REST search checked
    // below (tests/ui checks the sidebar a reader sees); the shell itself names none.
    const shell = await reader.get("/");
    expect(shell.status).toBe(200);
    expect(await shell.text()).not.toContain("private-experiment");
    const names = async (who: ReturnType<typeof as>, body: Record<string, unknown>) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const r = await who.post("experiments/search", token === undefined ? body : { ...body, page_token: token });
        expect(r.status).toBe(200);
        const j = (await r.json()) as { experiments?: Array<{ name: string }>; next_page_token?: string };
        const got = j.experiments ?? [];
        expect(got.length).toBeLessThanOrEqual(Number(body.max_results ?? 1000));
        if (token !== undefined || j.next_page_token !== undefined) expect(got.length, "a page holds readable experiments only, never an empty gap").toBeGreaterThan(0);
        out.push(...got.map((e) => e.name));
        token = j.next_page_token;
      } while (token !== undefined);
      return out.sort();
    };
    expect(await names(reader, { max_results: 1 })).toEqual(["Default", "shared-experiment"]);
    expect(await names(reader, {})).toEqual(["Default", "shared-experiment"]);
    expect(await names(narrow, {})).toEqual(["shared-experiment"]);
    // A user with access to a single experiment and nothing else still gets the list page (its
    // list is the filtered search above) and the UI's files.
    const narrowPage = await narrow.get("/");
    expect(narrowPage.status).toBe(200);
    expect(await narrowPage.text()).not.toContain("private-experiment");
    const script = /src="(\/static\/app\.js[^"]*)"/.exec(await (await narrow.get("/experiments/2")).text())?.[1];
    expect(script).toBeDefined();
    expect((await narrow.get(script as string)).status).toBe(200);
    expect((await narrow.get("/experiments/2")).status).toBe(200);
    expect((await narrow.get(`/runs/${sharedRun}`)).status).toBe(200);
  });

  it("refuses artifact locations with a query or fragment, or inside another experiment's artifacts, unless admin", async () => {
    const victim = `mlflow-artifacts:/1/${privateRun}/artifacts`;
    const refusedForWriter = [
      `${victim}#`,
      `${victim}?x=1`,
      victim,
      "mlflow-artifacts:/1",
      "mlflow-artifacts:/2/../1/x",
      "mlflow-artifacts:/",
      "mlflow-artifacts:/7",
      `file://${join(dir, "artifacts", "1")}`,
      `file://${join(dir, "artifacts", "1", privateRun, "artifacts")}#`,
      join(dir, "artifacts", "2", "..", "1"),
    ];
    for (const [i, location] of refusedForWriter.entries()) {
      const r = await writer.post("experiments/create", { name: `overlap-${i}`, artifact_location: location });
      expect(r.status, location).toBe(400);
      expect(((await r.json()) as { error_code: string }).error_code, location).toBe("INVALID_PARAMETER_VALUE");
    }
    const ok = await writer.post("experiments/create", { name: "own-place", artifact_location: "mlflow-artifacts:/team-a/own-place" });
    expect(ok.status).toBe(200);
    // An admin may share folders on purpose, but never with a query or fragment; locations are stored canonical.
    const shared = await admin.post("experiments/create", { name: "admin-shares", artifact_location: "mlflow-artifacts:/2/../1/shared" });
    expect(shared.status).toBe(200);
    const id = ((await shared.json()) as { experiment_id: string }).experiment_id;
    expect((await stores.tracking.getExperiment(id)).artifactLocation).toBe("mlflow-artifacts:/1/shared");
    expect((await admin.post("experiments/create", { name: "admin-fragment", artifact_location: `${victim}#x` })).status).toBe(400);
  });
});

describe("a file-URI artifact root: the fragment trick no longer reaches another run's files", () => {
  let dir: string;
  let stores: ServerStores;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-authz-file-"));
    stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), false);
    await stores.tracking.createExperiment("private-experiment");
    server = await startTrackingServer(
      {
        tracking: stores.tracking,
        registry: stores.registry,
        artifactsDestination: null,
        directArtifactRoot: join(dir, "artifacts"),
        auth: { users: [{ username: "writer", password: "w", permissions: { "*": "WRITE", "1": "NO_PERMISSIONS" } }] },
      },
      "127.0.0.1",
      0,
    );
  });
  afterAll(async () => {
    await server?.close();
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the location, so no run of the writer lists the victim's folder", async () => {
    const victimRun = (await stores.tracking.createRun({ experimentId: "1", userId: "ana", startTime: 1, tags: [] })).info;
    const victimDir = join(dir, "artifacts", "1", victimRun.runId, "artifacts");
    rmSync(victimDir, { recursive: true, force: true });
    await import("node:fs").then((fs) => fs.mkdirSync(victimDir, { recursive: true }));
    writeFileSync(join(victimDir, "secret.txt"), "top secret");
    const headers = { ...basic("writer", "w"), "Content-Type": "application/json" };
    for (const suffix of ["#", "?q"]) {
      const r = await fetch(`${server.url}${API}/experiments/create`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `trick${suffix}`, artifact_location: `${victimRun.artifactUri}${suffix}` }),
      });
      expect(r.status, suffix).toBe(400);
      expect(await r.text()).not.toContain("secret.txt");
    }
    // A location stored before this check (written to the store directly) is not followed either.
    const legacy = await stores.tracking.createExperiment("legacy-trick", `${victimRun.artifactUri}#`);
    const run = (await fetch(`${server.url}${API}/runs/create`, { method: "POST", headers, body: JSON.stringify({ experiment_id: legacy, start_time: 1 }) }).then((r) => r.json())) as {
      run: { info: { run_id: string } };
    };
    const list = await fetch(`${server.url}${API}/artifacts/list?run_id=${run.run.info.run_id}`, { headers });
    expect(list.status).toBe(400);
    expect(await list.text()).not.toContain("secret.txt");
  });
});

describe("auth config checks at start-up", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "auth-config-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a user with an empty password (or token), naming the user and the file", () => {
    for (const user of [{ username: "ana", password: "" }, { username: "bob", token: "" }, { username: "eve", password: "", token: "t" }]) {
      const file = join(dir, `${user.username}.json`);
      writeFileSync(file, JSON.stringify({ users: [{ ...user, permissions: { "*": "READ" } }] }));
      expect(() => loadAuthConfig(file), user.username).toThrow(new RegExp(`${file}.*'${user.username}'.*empty`));
    }
  });

  it("refuses such a config given to the server directly", async () => {
    const stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    try {
      await expect(
        startTrackingServer({ tracking: stores.tracking, registry: stores.registry, artifactsDestination: null, auth: { users: [{ username: "ana", password: "", permissions: {} }] } }, "127.0.0.1", 0),
      ).rejects.toThrow(/'ana'.*empty/);
    } finally {
      await stores.close();
    }
  });
});

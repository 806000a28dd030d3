/**
 * Two server processes sharing one SQLite file (as behind a load balancer) with clients
 * logging to the same run through both at once: every point arrives; and a server on a
 * FileStore directory (`--backend-store-uri ./mlruns`) passes the shared store suite.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RestStore } from "../../src/tracking-rest/restStore";
import { defineStoreSuite } from "./storeSuite";
import { startServerProcess, type ServerProcess } from "./serverProcess";

let dir: string;
let servers: ServerProcess[] = [];
let fileServer: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "multi-server-"));
  const db = `sqlite:///${join(dir, "shared.db")}`;
  // Started at once on a fresh file (both migrate); each handle is kept as soon as it exists so
  // that afterAll stops it even when the other fails.
  const started = await Promise.allSettled(
    [0, 1].map(async () => {
      const s = await startServerProcess(["--backend-store-uri", db, "--artifacts-destination", join(dir, "artifacts")]);
      servers.push(s);
      return s;
    }),
  );
  for (const r of started) if (r.status === "rejected") throw r.reason;
  fileServer = await startServerProcess(["--backend-store-uri", join(dir, "mlruns"), "--artifacts-destination", join(dir, "file-artifacts")]);
}, 120_000);

afterAll(async () => {
  await Promise.all([...servers, fileServer].filter((s) => s !== undefined).map((s) => s.stop()));
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("two servers on one SQLite file", () => {
  it("lose nothing when clients log to one run through both at once", async () => {
    const [a, b] = servers.map((s) => new RestStore(s.url)) as [RestStore, RestStore];
    const run = await a.createRun({ experimentId: "0", userId: "u", startTime: 1, tags: [] });
    await Promise.all(
      Array.from({ length: 40 }, (_, w) =>
        (w % 2 === 0 ? a : b).logBatch(run.info.runId, {
          metrics: Array.from({ length: 25 }, (_, i) => ({ key: "loss", value: i, timestamp: w, step: w * 25 + i })),
          params: [{ key: `w${w}`, value: String(w) }],
        }),
      ),
    );
    const history = await b.getMetricHistory(run.info.runId, "loss");
    expect(history).toHaveLength(1000);
    expect(new Set(history.map((m) => m.step)).size).toBe(1000);
    expect((await a.getRun(run.info.runId)).data.params).toHaveLength(40);
    const names = await Promise.all([a, b].map(async (s, i) => s.createExperiment(`from-server-${i}`)));
    expect(new Set(names).size).toBe(2);
    expect((await a.searchExperiments()).items.map((e) => e.name)).toEqual(expect.arrayContaining(["from-server-0", "from-server-1"]));
  });
});

defineStoreSuite("REST store over a FileStore-backed server", async () => {
  const store = new RestStore(fileServer.url, { maxRetries: 1 });
  return { tracking: store, registry: store, splitsLargeBatches: true, rules: "file", cleanup: async () => undefined };
});

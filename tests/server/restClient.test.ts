/**
 * The REST client's retry and auth behaviour against a real local HTTP server that
 * answers a scripted sequence of statuses (MLflow's server cannot be told to fail).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RestStore } from "../../src/tracking-rest/restStore";
import { MlflowArtifactsRepository } from "../../src/tracking-rest/mlflowArtifactsRepository";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
  readonly contentLength: string | undefined;
}

let server: Server | null = null;

async function scripted(statuses: number[], okBody: unknown): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization, body, contentLength: req.headers["content-length"] });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(status === 200 ? okBody : { error_code: status === 400 ? "INVALID_PARAMETER_VALUE" : "TEMPORARILY_UNAVAILABLE", message: `status ${status}` }));
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  await new Promise<void>((r) => (server === null ? r() : server.close(() => r())));
  server = null;
});

describe("REST client retries and credentials", () => {
  it("retries 503 and 429 with backoff, then succeeds", async () => {
    const { url, seen } = await scripted([503, 429, 200], { experiment_id: "7" });
    const store = new RestStore(url, { maxRetries: 3, backoffMs: 5 });
    expect(await store.createExperiment("x")).toBe("7");
    expect(seen).toHaveLength(3);
    expect(seen.every((s) => s.method === "POST" && s.url === "/api/2.0/mlflow/experiments/create" && JSON.parse(s.body).name === "x")).toBe(true);
  });

  it("gives up after maxRetries and reports the last error", async () => {
    const { url, seen } = await scripted([500, 500, 500, 500], {});
    const store = new RestStore(url, { maxRetries: 2, backoffMs: 1 });
    const err = await store.getExperiment("1").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 500, errorCode: "INTERNAL_ERROR", remoteErrorCode: "TEMPORARILY_UNAVAILABLE" });
    expect(seen).toHaveLength(3);
  });

  it("does not retry a 400", async () => {
    const { url, seen } = await scripted([400], {});
    const store = new RestStore(url, { maxRetries: 5, backoffMs: 1 });
    expect(await store.getExperiment("1").catch((e: unknown) => e)).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
    expect(seen).toHaveLength(1);
  });

  it("sends MLFLOW_TRACKING_USERNAME/PASSWORD as basic auth, else MLFLOW_TRACKING_TOKEN as bearer", async () => {
    const { url, seen } = await scripted([], { experiment: { experiment_id: "1", name: "n" } });
    const saved = { ...process.env };
    try {
      process.env.MLFLOW_TRACKING_USERNAME = "ana";
      process.env.MLFLOW_TRACKING_PASSWORD = "pw:with:colons";
      process.env.MLFLOW_TRACKING_TOKEN = "ignored-when-basic";
      await new RestStore(url).getExperiment("1");
      delete process.env.MLFLOW_TRACKING_USERNAME;
      delete process.env.MLFLOW_TRACKING_PASSWORD;
      process.env.MLFLOW_TRACKING_TOKEN = "tok";
      await new RestStore(url).getExperiment("1");
    } finally {
      for (const k of ["MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
    expect(seen[0]?.authorization).toBe("Basic " + Buffer.from("ana:pw:with:colons").toString("base64"));
    expect(seen[1]?.authorization).toBe("Bearer tok");
    expect(seen[0]?.url).toBe("/api/2.0/mlflow/experiments/get?experiment_id=1");
  });
});

describe("artifact uploads through the proxy", () => {
  it("stream a file with its Content-Length, and a retried upload sends the whole file again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rest-upload-"));
    try {
      const content = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("");
      writeFileSync(join(dir, "big.txt"), content);
      const { url, seen } = await scripted([503, 200], {});
      const repo = new MlflowArtifactsRepository(`mlflow-artifacts:/1/run/artifacts`, url, { maxRetries: 2, backoffMs: 1 });
      await repo.logArtifact(join(dir, "big.txt"), "sub");
      expect(seen).toHaveLength(2);
      for (const s of seen) {
        expect(s).toMatchObject({ method: "PUT", url: "/api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/sub/big.txt", contentLength: String(content.length) });
        expect(s.body).toBe(content);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

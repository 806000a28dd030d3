/** `mlflow-demo-ts server` refuses to bind beyond loopback without auth, and checks its flags. */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileServer } from "./serverProcess";

const ROOT = resolve(__dirname, "..", "..");

function runServer(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [compileServer(), "server", ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules") },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe("server command line", () => {
  it("refuses a non-loopback address without --auth-config", () => {
    const r = runServer(["--host", "0.0.0.0", "--port", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--auth-config");
  });

  it("rejects a bad port and an unreadable auth config with clear messages", () => {
    const port = runServer(["--port", "70000"]);
    expect(port.status).toBe(2);
    expect(port.stderr).toContain("--port");
    const auth = runServer(["--port", "0", "--auth-config", "/nonexistent/auth.json"]);
    expect(auth.status).not.toBe(0);
    expect(auth.stderr).toContain("/nonexistent/auth.json");
  });
});

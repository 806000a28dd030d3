/** `mlflow-demo-ts server` refuses to bind beyond loopback without auth, and checks its flags. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileServer } from "./serverProcess";

const ROOT = resolve(__dirname, "..", "..");

function runServer(args: string[], cwd = ROOT): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [compileServer(), "server", ...args], {
    cwd,
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

  it("refuses malformed backend store URIs as MLflow does, creating nothing", () => {
    const cwd = mkdtempSync(join(tmpdir(), "server-uri-"));
    try {
      const cases: Array<[string, RegExp]> = [
        ["sqlite://nope", /Invalid SQLite URL: sqlite:\/\/nope/],
        ["sqlite:", /Could not parse SQLAlchemy URL from string 'sqlite:'/],
        ["sqlite:/rel.db", /Could not parse SQLAlchemy URL/],
        ["postgresql:/x", /Could not parse SQLAlchemy URL from string 'postgresql:\/x'/],
        ["foo://bar", /Unsupported backend store URI 'foo:\/\/bar'/],
        ["mysql://u@h/db", /Unsupported backend store URI/],
      ];
      for (const [uri, message] of cases) {
        const r = runServer(["--port", "0", "--backend-store-uri", uri, "--artifacts-destination", join(cwd, "artifacts")], cwd);
        expect(r.status, uri).not.toBe(0);
        expect(r.stderr, uri).toMatch(message);
      }
      expect(readdirSync(cwd).filter((n) => n !== "artifacts")).toEqual([]);
      expect(existsSync(join(cwd, "nope"))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("refuses to start with an auth config holding an empty password", () => {
    const cwd = mkdtempSync(join(tmpdir(), "server-auth-"));
    try {
      const file = join(cwd, "users.json");
      writeFileSync(file, JSON.stringify({ users: [{ username: "ana", password: "", permissions: { "*": "READ" } }] }));
      const r = runServer(["--port", "0", "--auth-config", file, "--backend-store-uri", `sqlite:///${join(cwd, "db.sqlite")}`], cwd);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/user 'ana' has an empty "password"/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

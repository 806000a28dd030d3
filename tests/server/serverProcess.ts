/**
 * Starts real `mlflow-demo-ts server` processes for tests: the server sources are
 * compiled once (per source state) to plain CommonJS in the temp directory, then each
 * test spawns `node` on 127.0.0.1 with port 0 and reads the URL from its first line.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");

function sourceStamp(): string {
  const hash = createHash("sha1");
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) hash.update(`${p}:${statSync(p).mtimeMs}:${statSync(p).size}\n`);
    }
  };
  for (const d of ["src/server", "src/tracking", "src/tracking-rest", "src/cli", "src/models", "src/preprocess", "src/data", "src/util"]) walk(join(ROOT, d));
  return hash.digest("hex").slice(0, 16);
}

/** Compiles the server and serve commands once; returns the launcher (`node launch.js server|serve ...`). */
export function compileServer(): string {
  const dir = join(tmpdir(), `mlflow-demo-ts-server-${sourceStamp()}`);
  const launcher = join(dir, "launch.js");
  if (existsSync(launcher)) return launcher;
  const out = mkdtempSync(join(tmpdir(), "mlflow-demo-ts-server-build-"));
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--outDir", out, "--rootDir", ROOT, "--module", "commonjs", "--target", "ES2022",
      "--strict", "--esModuleInterop", "--skipLibCheck", "--resolveJsonModule", "--types", "node", join(ROOT, "src/cli/serverCommand.ts"), join(ROOT, "src/cli/serveCommand.ts")],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (!existsSync(join(out, "src", "cli", "serverCommand.js"))) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  writeFileSync(
    join(out, "launch.js"),
    `const [name, ...args] = process.argv.slice(2);\n` +
      `require(require("node:path").join(__dirname, "src", "cli", name + "Command.js"))[name + "Command"].run(args)` +
      `.then((code) => process.exit(code), (err) => { console.error(err); process.exit(1); });\n`,
  );
  try {
    renameSync(out, dir);
  } catch {
    rmSync(out, { recursive: true, force: true }); // another test file won the race
  }
  // Builds of older source states are dead weight once an hour old (none can still be starting).
  for (const name of readdirSync(tmpdir())) {
    const old = join(tmpdir(), name);
    if (name.startsWith("mlflow-demo-ts-server-") && old !== dir && Date.now() - statSync(old).mtimeMs > 3_600_000) rmSync(old, { recursive: true, force: true });
  }
  return launcher;
}

/** A server process under test. */
export interface ServerProcess {
  readonly url: string;
  readonly process: ChildProcess;
  /** Output so far (stdout + stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then waits for exit (SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/** Spawns `mlflow-demo-ts <command>` (`server` or `serve`) with `args` (plus `--port 0` unless given); resolves once it listens. */
export function startServerProcess(args: readonly string[], env: Record<string, string> = {}, command: "server" | "serve" = "server"): Promise<ServerProcess> {
  const launcher = compileServer();
  const fullArgs = [command, ...args, ...(args.includes("--port") ? [] : ["--port", "0"])];
  const child = spawn(process.execPath, [launcher, ...fullArgs], {
    cwd: ROOT,
    env: { ...process.env, NODE_PATH: join(ROOT, "node_modules"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server did not start within 60 s:\n${out}`));
    }, 60_000);
    const onData = (): void => {
      const m = /listening at (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolvePromise({ url: m[1] as string, process: child, output: () => out, stop });
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with code ${code} before listening:\n${out}`));
    });
  });
}

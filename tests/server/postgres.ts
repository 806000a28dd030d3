/**
 * A throwaway PostgreSQL 15 server for tests: initdb into a temporary directory and
 * pg_ctl on 127.0.0.1 with a free port and the socket in that directory. As root, the
 * binaries run as the unprivileged `postgres` user (runuser). `postgresUnavailable()`
 * names the reason when that is impossible, so tests can skip visibly.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

const BIN = "/usr/lib/postgresql/15/bin";

function postgresUser(): { uid: number; gid: number } | null {
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
}

/** Why PostgreSQL cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!existsSync(join(BIN, "initdb")) || !existsSync(join(BIN, "pg_ctl"))) return `PostgreSQL 15 binaries not found in ${BIN}`;
  if (userInfo().uid === 0 && postgresUser() === null) return "running as root and there is no 'postgres' user to run initdb as";
  if (userInfo().uid === 0 && spawnSync("runuser", ["--version"]).status !== 0) return "running as root and runuser is missing";
  return null;
}

/** Resolves to a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A running throwaway PostgreSQL. */
export interface TempPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  readonly uri: string;
  /** Creates another database and returns its URI. */
  createDatabase(name: string): string;
  stop(): void;
}

/** Starts PostgreSQL in a new temporary directory. */
export async function startTempPostgres(): Promise<TempPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "pg-test-"));
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? postgresUser() : null;
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]): string => {
    const full = join(BIN, cmd);
    return asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", full, ...args], { encoding: "utf8", stdio: "pipe", cwd: dir })
      : execFileSync(full, args, { encoding: "utf8", stdio: "pipe", cwd: dir });
  };
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
  const port = await freePort();
  run("pg_ctl", ["-D", data, "-l", join(dir, "log"), "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, "start"]);
  const uri = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let stopped = false;
  return {
    uri,
    createDatabase(name: string): string {
      run("psql", ["-h", dir, "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${name}"`]);
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

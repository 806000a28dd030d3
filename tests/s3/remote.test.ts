/**
 * `scripts/remote.sh`, the original project's remote setup on one machine: PostgreSQL,
 * s3rver, our server with auth, two tune workers on one PostgreSQL study, the champion
 * registered once; then Ctrl-C (SIGINT) stops everything it started: no port still
 * answers, no process runs from its folders, and the folders are gone.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT, stackUnavailable, withoutS3Credentials } from "../../scripts/remote-stack.mjs";

const reason = stackUnavailable();
if (reason !== null) console.warn(`SKIPPED scripts/remote.sh: ${reason}`);

interface Summary {
  server: string;
  trials: number;
  runs: number;
  trial_runs: number;
  duplicate_trial_numbers: number;
  model_versions: number;
  champion_version: string;
  champion_source: string;
  postgres_port: number;
  s3_endpoint: string;
  folders: string[];
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** Processes whose command line mentions one of `folders`. */
function processesUsing(folders: readonly string[]): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      continue;
    }
    if (folders.some((f) => cmd.includes(f))) out.push(`${pid}: ${cmd}`);
  }
  return out;
}

describe.skipIf(reason !== null)("scripts/remote.sh", () => {
  test("two workers share one PostgreSQL study through the authenticated server, the champion is registered once, Ctrl-C stops everything", async () => {
    const child = spawn("bash", [join(ROOT, "scripts", "remote.sh"), "--workers", "2", "--trials", "2", "--rounds", "10", "--keep", "--json"], {
      cwd: ROOT,
      env: withoutS3Credentials(process.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await checkRemote();
    } finally {
      // A failed check must not leave the stack (server, PostgreSQL, s3rver) running: Ctrl-C stops it.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        await exited;
      }
    }

    async function checkRemote(): Promise<void> {
      const kept = await new Promise<boolean>((resolve) => {
        // The summary goes to stdout just before this line goes to stderr; the two pipes are read in no set order.
        const check = (): void => {
          if (stderr.includes("everything keeps running until Ctrl-C") && stdout.trimEnd().endsWith("}")) resolve(true);
        };
        child.stderr.on("data", check);
        child.stdout.on("data", check);
        void exited.then(() => resolve(false));
      });
      expect(kept, `remote.sh ended early:\n${stderr.slice(-4000)}`).toBe(true);
      const summary = JSON.parse(stdout.trim().split("\n").pop() as string) as Summary;

      expect(summary.trials).toBe(2);
      expect(summary.trial_runs).toBe(2);
      expect(summary.runs).toBe(3); // two trials and the final model
      expect(summary.duplicate_trial_numbers).toBe(0);
      expect(summary.model_versions).toBe(1);
      expect(summary.champion_version).toBe("1");
      // On our server the champion is an MLflow 3 logged model, registered from models:/<model_id>.
      expect(summary.champion_source).toMatch(/^models:\/m-[0-9a-f]{32}$/);
      expect(stderr).not.toMatch(/\[worker \d\] .*(Error|error)/);
      expect((await fetch(`${summary.server}/health`)).status).toBe(200);
      expect((await fetch(`${summary.server}/api/2.0/mlflow/experiments/search?max_results=1`)).status).toBe(401); // auth is on
      const serverPort = Number(new URL(summary.server).port);
      const s3Port = Number(new URL(summary.s3_endpoint).port);
      for (const port of [serverPort, s3Port, summary.postgres_port]) expect(await answers(port)).toBe(true);

      child.kill("SIGINT");
      expect(await exited).toBe(130);
      for (const port of [serverPort, s3Port, summary.postgres_port]) expect(await answers(port), `port ${port}`).toBe(false);
      expect(processesUsing(summary.folders)).toEqual([]);
      for (const folder of summary.folders) expect(existsSync(folder), folder).toBe(false);
    }
  });
});

// `npm run jupyter` as a person runs it: it prints a URL with a token on 127.0.0.1, the server
// behind it needs that token, offers the project's tslab kernel (registered for this server only:
// the user's kernelspec list does not show it) and starts it; one SIGINT (Ctrl-C) stops the
// server, its kernel and the command. Temporary HOME and Jupyter runtime dir.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { notebookServerMissing } from "../../scripts/jupyter-tools.mjs";
import { missingTools, PYTHON, ROOT, TSLAB_BIN } from "../../scripts/presentation-tools.mjs";

const reasons = [...missingTools(), notebookServerMissing()].filter((r): r is string => r !== null);
if (reasons.length > 0) console.warn(`SKIPPED npm run jupyter: ${reasons.join("; ")}`);

describe.skipIf(reasons.length > 0)("npm run jupyter", () => {
  const work = mkdtempSync(join(tmpdir(), "jupyter-command-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("prints a tokened URL on 127.0.0.1 serving the project's kernel; Ctrl-C stops it all", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: work, JUPYTER_RUNTIME_DIR: join(work, "runtime"), PYDEVD_DISABLE_FILE_VALIDATION: "1" };
    delete env["JUPYTER_PATH"];
    const child = spawn(process.execPath, [join(ROOT, "scripts", "jupyter.mjs"), "--no-build"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 90_000;
      let match: RegExpExecArray | null = null;
      while ((match = /(http:\/\/127\.0\.0\.1:(\d+))\/tree\?token=([0-9a-f]{48})/.exec(stdout)) === null) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no URL printed:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const [, base, , token] = match;
      expect((await fetch(`${base}/api/kernelspecs`)).status).toBe(403);
      const specs = (await (await fetch(`${base}/api/kernelspecs?token=${token}`)).json()) as { kernelspecs: Record<string, { spec: { argv: string[] } }> };
      expect(specs.kernelspecs["tslab"]?.spec.argv[0]).toBe(TSLAB_BIN);
      // Registered for this server only: the user's own Jupyter does not list it.
      const listed = spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "list", "--json"], { encoding: "utf8", env });
      expect(Object.keys((JSON.parse(listed.stdout) as { kernelspecs: object }).kernelspecs)).not.toContain("tslab");

      const started = await fetch(`${base}/api/kernels?token=${token}`, { method: "POST", body: JSON.stringify({ name: "tslab" }) });
      expect(started.status).toBe(201);
      const kernelId = ((await started.json()) as { id: string }).id;
      const kernels = () => spawnSync("pgrep", ["-f", `kernel-${kernelId}`], { encoding: "utf8" }).stdout.trim();
      const kernelDeadline = Date.now() + 60_000;
      while (kernels() === "" && Date.now() < kernelDeadline) await new Promise((r) => setTimeout(r, 300));
      expect(kernels(), "the tslab kernel process").not.toBe("");

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(stdout).toContain("jupyter: stopping the notebook server and its kernels");
      await expect(fetch(`${base}/api/status?token=${token}`)).rejects.toThrow();
      expect(kernels(), "the kernel process after Ctrl-C").toBe("");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 180_000);
});

// Interactive Jupyter for the notebooks, shared by scripts/jupyter.mjs (`npm run jupyter`),
// scripts/notebooks.mjs (`--kernel-only --user`) and tests/jupyter/: start Debian's Jupyter
// Notebook on 127.0.0.1 with the project's tslab kernel, and register that kernel in (or remove
// it from) the user's own Jupyter data dir.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NOTEBOOKS_DIR, PYTHON, ROOT, TSLAB_BIN, jupyterEnv } from "./presentation-tools.mjs";
import { freePort } from "./remote-stack.mjs";

/** The Debian package that provides `jupyter notebook`. */
export const NOTEBOOK_APT_LINE = "sudo apt-get install -y --no-install-recommends jupyter-notebook";
/** The name the kernel is registered under: the notebooks' metadata asks for it. */
export const KERNEL_NAME = "tslab";
/** How a user-level spec says it is this project's (so `--uninstall` removes only ours). */
const SPEC_MARK = "mlflow-demo-ts";

/** Why `jupyter notebook` cannot start, naming the fix, or null when it can. */
export function notebookServerMissing() {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing: ${NOTEBOOK_APT_LINE}`;
  const probe = spawnSync(PYTHON, ["-c", "import notebook.notebookapp"], { encoding: "utf8" });
  if (probe.status !== 0) return `Jupyter Notebook is not installed for ${PYTHON}: ${NOTEBOOK_APT_LINE}`;
  if (!existsSync("/usr/bin/jupyter-notebook")) return `the jupyter-notebook command is missing: ${NOTEBOOK_APT_LINE}`;
  return null;
}

async function answers(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

/**
 * Starts Jupyter Notebook in `notebookDir` on 127.0.0.1 with the project's tslab kernel on
 * JUPYTER_PATH (nothing registered globally) and a random token (passed in the environment, not
 * on the command line). Resolves when the server answers: {url, port, token, child, stop()}.
 * `log` receives the server's output lines; `env` is added to the server's (and kernels')
 * environment.
 */
export async function startNotebookServer({ port, notebookDir = NOTEBOOKS_DIR, env = {}, log = () => {}, timeoutMs = 120_000 } = {}) {
  const missing = notebookServerMissing();
  if (missing !== null) throw new Error(missing);
  const chosenPort = port ?? (await freePort());
  const token = randomBytes(24).toString("hex");
  const child = spawn(
    PYTHON,
    ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${chosenPort}`, "--port-retries=0", `--notebook-dir=${notebookDir}`,
      // Jupyter refuses root unless told; CI and containers run as root.
      ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
    {
      cwd: notebookDir,
      // stdin not a terminal: one Ctrl-C stops the server instead of asking "Shutdown (y/[n])?".
      stdio: ["ignore", "pipe", "pipe"],
      env: jupyterEnv({ JUPYTER_TOKEN: token, ...env }),
    },
  );
  let exited = null;
  const output = [];
  const onData = (chunk) => {
    for (const line of chunk.toString().split("\n")) {
      if (line.trim() === "") continue;
      output.push(line);
      log(line);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const done = new Promise((resolve) => child.once("exit", (code, signal) => resolve((exited = { code, signal }))));
  const base = `http://127.0.0.1:${chosenPort}`;
  const stop = async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await done;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(`${base}/api/status?token=${token}`))) {
    if (exited !== null) throw new Error(`jupyter notebook exited (${exited.code ?? exited.signal}) before answering:\n${output.slice(-20).join("\n")}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter notebook did not answer on ${base} within ${timeoutMs / 1000} s:\n${output.slice(-20).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { url: `${base}/tree?token=${token}`, base, port: chosenPort, token, child, done, stop };
}

/** The user's Jupyter data dir, as Jupyter itself computes it (HOME, XDG_DATA_HOME, JUPYTER_DATA_DIR). */
export function userDataDir(env = process.env) {
  const r = spawnSync(PYTHON, ["-c", "from jupyter_core.paths import jupyter_data_dir; print(jupyter_data_dir())"], { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`cannot ask Jupyter for the user's data dir (${PYTHON}, jupyter_core):\n${r.stderr}`);
  return r.stdout.trim();
}

/** The kernel spec this project registers: its own tslab, by absolute path. */
export function kernelSpec() {
  return {
    argv: [TSLAB_BIN, "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (mlflow-demo-ts)",
    language: "typescript",
    metadata: { [SPEC_MARK]: { root: ROOT } },
  };
}

function readSpec(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
  } catch {
    return null;
  }
}

/**
 * Registers the project's tslab kernel in the user's Jupyter data dir with Jupyter's own
 * `jupyter kernelspec install --user`, where `jupyter kernelspec list` and editors that follow
 * Jupyter's paths (VS Code's notebook editor) find it without JUPYTER_PATH. Returns
 * {dir, replaced}: replaced is the argv of another "tslab" spec it overwrote, if any.
 */
export function installUserKernel(env = process.env) {
  const dir = join(userDataDir(env), "kernels", KERNEL_NAME);
  const previous = readSpec(dir);
  const replaced = previous !== null && previous.metadata?.[SPEC_MARK]?.root !== ROOT ? previous.argv ?? [] : null;
  const staging = mkdtempSync(join(tmpdir(), "tslab-spec-"));
  try {
    writeFileSync(join(staging, "kernel.json"), `${JSON.stringify(kernelSpec(), null, 2)}\n`);
    const r = spawnSync(PYTHON, ["-m", "jupyter", "kernelspec", "install", "--user", "--replace", `--name=${KERNEL_NAME}`, staging], { encoding: "utf8", env });
    if (r.status !== 0) throw new Error(`jupyter kernelspec install --user failed:\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { dir, replaced };
}

/**
 * Removes the kernel registered by {@link installUserKernel} from the user's data dir, only when it is this project's: returns "removed", "absent" or "not ours" (another tslab spec,
 * left in place).
 */
export function uninstallUserKernel(env = process.env) {
  const dir = join(userDataDir(env), "kernels", KERNEL_NAME);
  const spec = readSpec(dir);
  if (spec === null) return "absent";
  if (spec.metadata?.[SPEC_MARK]?.root !== ROOT) return "not ours";
  // The folder checked above, not `jupyter kernelspec remove`, which takes the first "tslab" on
  // Jupyter's search path (JUPYTER_PATH comes first) and might not be ours.
  rmSync(dir, { recursive: true, force: true });
  return "removed";
}

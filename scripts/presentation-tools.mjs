// The presentation's machinery, shared by scripts/notebooks.mjs, scripts/slides.mjs, the
// presentation test and bench: register the project's tslab kernel (project-local, under
// node_modules/.cache), execute notebooks headless with Debian's nbconvert, check the
// executed copies, and export offline reveal.js decks with reveal.js inlined from npm.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const NOTEBOOKS_DIR = join(ROOT, "notebooks");
export const EXECUTED_DIR = join(NOTEBOOKS_DIR, ".executed");
export const SLIDES_DIR = join(ROOT, "slides");
/** The Python that runs Jupyter: Debian's, where jupyter-nbconvert, nbclient and ipykernel live. */
export const PYTHON = "/usr/bin/python3";
/** Kernel specs live here, inside node_modules (ignored by git), never in the user's home. */
export const JUPYTER_DATA_DIR = join(ROOT, "node_modules", ".cache", "mlflow-demo-ts", "jupyter");
export const KERNEL_DIR = join(JUPYTER_DATA_DIR, "share", "jupyter", "kernels", "tslab");
export const TSLAB_BIN = join(ROOT, "node_modules", ".bin", "tslab");
export const APT_LINE = "sudo apt-get install -y --no-install-recommends jupyter-nbconvert jupyter-client python3-ipykernel python3-nbclient";

/** The notebooks, sorted: notebooks/NN-name.ipynb. */
export function listNotebooks() {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => join(NOTEBOOKS_DIR, f));
}

/**
 * A tracking URI as the notebooks and the slides' screenshots both read it: a relative folder is
 * made absolute against the current directory (kernels run in notebooks/); URIs stay as they are.
 */
export function absoluteTrackingUri(uri) {
  return uri === undefined || /^[a-z][a-z0-9+.-]*:/i.test(uri) ? uri : resolve(uri);
}

/** The environment for Jupyter: our kernel spec first on JUPYTER_PATH, no debugger chatter. */
export function jupyterEnv(extra = {}) {
  const jupyterPath = [join(JUPYTER_DATA_DIR, "share", "jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(":");
  const env = { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: "1", ...extra };
  if (env.MLFLOW_TRACKING_URI !== undefined) env.MLFLOW_TRACKING_URI = absoluteTrackingUri(env.MLFLOW_TRACKING_URI);
  return env;
}

/** What is missing to execute notebooks, as messages naming the command that fixes each (empty when ready). */
export function missingTools() {
  const missing = [];
  if (!existsSync(PYTHON)) missing.push(`${PYTHON} is missing: ${APT_LINE}`);
  else {
    const probe = spawnSync(PYTHON, ["-c", "import nbconvert, nbclient, ipykernel, jupyter_client"], { encoding: "utf8" });
    if (probe.status !== 0) missing.push(`nbconvert/nbclient/ipykernel are missing for ${PYTHON}: ${APT_LINE}`);
  }
  if (!existsSync(TSLAB_BIN)) missing.push(`${TSLAB_BIN} is missing: run npm ci`);
  return missing;
}

/** Registers the tslab kernel (project-local) when it is absent or names another binary; returns the kernel dir. */
export function ensureKernel() {
  const specFile = join(KERNEL_DIR, "kernel.json");
  if (existsSync(specFile)) {
    const spec = JSON.parse(readFileSync(specFile, "utf8"));
    if (spec.argv?.[0] === TSLAB_BIN) return KERNEL_DIR;
  }
  const r = spawnSync(TSLAB_BIN, ["install", `--python=${PYTHON}`, `--binary=${TSLAB_BIN}`, `--prefix=${JUPYTER_DATA_DIR}`], {
    cwd: ROOT,
    encoding: "utf8",
    env: jupyterEnv(),
  });
  if (r.status !== 0 || !existsSync(specFile)) {
    throw new Error(`registering the tslab kernel failed (${TSLAB_BIN} install --prefix=${JUPYTER_DATA_DIR}):\n${r.stdout}${r.stderr}`);
  }
  return KERNEL_DIR;
}

/** Builds the library (dist/), which the notebooks import through notebooks/library.js. */
export function buildLibrary() {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
}

const stripAnsi = (s) => s.replace(/\u001b\[[0-9;]*m/g, "");

/** The part of nbconvert's stderr that names the failing cell and its error. */
export function cellErrorReport(stderr) {
  const text = stripAnsi(stderr);
  const at = text.indexOf("An error occurred while executing the following cell");
  if (at >= 0) return text.slice(at).trim();
  const lines = text.trim().split("\n");
  return lines.slice(-25).join("\n");
}

/**
 * Executes one notebook in a fresh tslab kernel into notebooks/.executed/ (same file name).
 * Returns {ok, seconds, output, report}: report names the failing cell and its error.
 * With `progress` (a label such as "02-experiment-1"), the terminal shows which code cell of
 * how many is running and the cells' printed lines as they come.
 */
export function executeNotebook(notebook, { timeoutSeconds = 1800, env = {}, outputDir = EXECUTED_DIR, progress } = {}) {
  mkdirSync(outputDir, { recursive: true });
  const name = basename(notebook, ".ipynb");
  const start = performance.now();
  const output = join(outputDir, `${name}.ipynb`);
  const progressArgs = progress === undefined ? [] : ["--progress", progress];
  const r = spawnSync(
    PYTHON,
    [join(ROOT, "scripts", "execute_notebook.py"), notebook, output, "--kernel", "tslab", "--timeout", String(timeoutSeconds), ...progressArgs],
    {
      cwd: NOTEBOOKS_DIR,
      encoding: "utf8",
      env: jupyterEnv(env),
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", progress === undefined ? "pipe" : "inherit"],
    },
  );
  const seconds = (performance.now() - start) / 1000;
  const last = (r.stdout ?? "").trim().split("\n").pop() ?? "";
  let result;
  try {
    result = JSON.parse(last);
  } catch {
    return { ok: false, seconds, output, report: cellErrorReport(`${r.stdout ?? ""}\n${r.stderr ?? ""}`) };
  }
  if (!result.ok) {
    return { ok: false, seconds, output, report: `cell ${result.cell} failed:\n${result.source}\n---\n${stripAnsi(result.error)}` };
  }
  const problems = checkExecuted(JSON.parse(readFileSync(output, "utf8")));
  return { ok: problems.length === 0, seconds, output, report: problems.join("\n\n") };
}

const sourceOf = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));
const htmlOf = (output) => {
  const h = output.data?.["text/html"];
  return h === undefined ? "" : Array.isArray(h) ? h.join("") : String(h);
};

/**
 * Problems in an executed notebook: error outputs, and cells whose metadata `demo.expect`
 * ("chart", "table", "diagram" or "output") is not met by their outputs.
 */
export function checkExecuted(nb) {
  const problems = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const where = `cell ${index} (${sourceOf(cell).split("\n")[0].slice(0, 80)})`;
    const outputs = cell.outputs ?? [];
    if (outputs.some((o) => o.output_type === "error")) {
      const messages = outputs.flatMap((o) =>
        o.output_type === "error"
          ? [`${o.ename}: ${stripAnsi(o.evalue ?? "")}`, ...(o.traceback ?? []).map(stripAnsi)]
          : o.output_type === "stream" && o.name === "stderr"
            ? [stripAnsi(Array.isArray(o.text) ? o.text.join("") : String(o.text))]
            : [],
      );
      problems.push(`error in ${where}:\n${sourceOf(cell)}\n---\n${messages.filter((m) => m.trim() !== "").join("\n")}`);
      return;
    }
    const expect = cell.metadata?.demo?.expect;
    if (expect === undefined) return;
    const html = outputs.map(htmlOf).join("\n");
    if (expect === "chart" && !html.includes("demo-plotly-chart")) problems.push(`${where}: expected a plotly chart, got none`);
    else if (expect === "table" && !/<table[\s>]/.test(html)) problems.push(`${where}: expected a table, got none`);
    else if (expect === "diagram" && !html.includes("demo-diagram")) problems.push(`${where}: expected a diagram, got none`);
    else if (expect === "output" && outputs.length === 0) problems.push(`${where}: expected an output, got none`);
  });
  return problems;
}

/** A notebook's problems as committed: outputs or execution counts that should not be there. */
export function committedProblems(nb) {
  const problems = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    if ((cell.outputs ?? []).length > 0) problems.push(`cell ${index} carries ${cell.outputs.length} output(s)`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) problems.push(`cell ${index} has execution_count ${cell.execution_count}`);
  });
  return problems;
}

const INLINE_MARKER = /<!--@@INLINE (style|script) ([^@]+)@@-->/g;

/** Replaces the template's `<!--@@INLINE style|script path@@-->` markers with the files from node_modules. */
export function inlineAssets(html) {
  return html.replace(INLINE_MARKER, (_, kind, rel) => {
    const file = join(ROOT, "node_modules", rel);
    if (!existsSync(file)) throw new Error(`slides: ${file} is missing (run npm ci)`);
    const text = readFileSync(file, "utf8");
    if (kind === "style") return `<style type="text/css">\n/* ${rel} */\n${text}\n</style>`;
    return `<script type="text/javascript">\n/* ${rel} */\n${text.replace(/<\/script/gi, "<\\/script")}\n</script>`;
  });
}

/** Attributes that would fetch something from the network when the deck opens. */
export function externalReferences(html) {
  const found = html.match(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/gi) ?? [];
  return found;
}

/**
 * The notebook as the slides show it: after each cell whose metadata has `demo.notes`, a
 * speaker-notes cell (reveal.js `<aside class="notes">`, shown by the presenter view `S`); in each
 * markdown cell whose metadata has `demo.screenshot: NAME`, the screenshot NAME.png from
 * `screenshotDir` as an inline image. Fails naming the cell when a screenshot is missing.
 */
export function withNotesAndScreenshots(nb, screenshotDir) {
  const cells = [];
  nb.cells.forEach((cell, index) => {
    const demo = cell.metadata?.demo ?? {};
    let out = cell;
    if (typeof demo.screenshot === "string") {
      const file = screenshotDir === undefined ? undefined : join(screenshotDir, `${demo.screenshot}.png`);
      if (file === undefined || !existsSync(file)) {
        throw new Error(`slides: cell ${index} shows the UI screenshot "${demo.screenshot}", but ${file ?? "no screenshot folder"} does not exist (npm run slides takes them; see scripts/ui-pages.mjs)`);
      }
      const img = `\n\n<img class="demo-screenshot" alt="${demo.screenshot} page of the tracking UI" src="data:image/png;base64,${readFileSync(file).toString("base64")}">`;
      out = { ...cell, source: sourceOf(cell) + img };
    }
    cells.push(out);
    const hidden = (cell.metadata?.tags ?? []).includes("hide-in-slides");
    if (typeof demo.notes === "string" && demo.notes.trim() !== "" && !hidden) {
      cells.push({ cell_type: "markdown", id: `${cell.id ?? index}-notes`, metadata: { slideshow: { slide_type: "notes" } }, source: demo.notes });
    }
  });
  return { ...nb, cells };
}

/**
 * Exports one executed notebook to slides/<name>.slides.html, self-contained, with speaker notes
 * and UI screenshots (see {@link withNotesAndScreenshots}); returns {output, bytes, seconds}.
 */
export function exportSlides(executed, { outputDir = SLIDES_DIR, screenshotDir = join(EXECUTED_DIR, "ui") } = {}) {
  mkdirSync(outputDir, { recursive: true });
  const name = basename(executed, ".ipynb");
  const start = performance.now();
  const staged = join(mkdtempSync(join(tmpdir(), "slides-")), `${name}.ipynb`);
  writeFileSync(staged, JSON.stringify(withNotesAndScreenshots(JSON.parse(readFileSync(executed, "utf8")), screenshotDir)));
  const r = spawnSync(
    PYTHON,
    [
      "-m", "nbconvert", "--to", "slides",
      `--TemplateExporter.extra_template_basedirs=${SLIDES_DIR}`, "--template", "template",
      "--no-prompt",
      "--TagRemovePreprocessor.enabled=True",
      "--TagRemovePreprocessor.remove_input_tags=hide-input",
      "--TagRemovePreprocessor.remove_cell_tags=hide-in-slides",
      "--TagRemovePreprocessor.remove_all_outputs_tags=hide-output",
      "--output-dir", outputDir, "--output", name, staged,
    ],
    { cwd: ROOT, encoding: "utf8", env: jupyterEnv(), maxBuffer: 64 * 1024 * 1024 },
  );
  rmSync(dirname(staged), { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`nbconvert --to slides failed for ${executed}:\n${cellErrorReport(r.stderr ?? "")}`);
  const output = join(outputDir, `${name}.slides.html`);
  const html = inlineAssets(readFileSync(output, "utf8"));
  const external = externalReferences(html);
  if (external.length > 0) throw new Error(`slides: ${output} still loads from the network: ${external.slice(0, 5).join(", ")}`);
  writeFileSync(output, html);
  return { output, bytes: Buffer.byteLength(html), seconds: (performance.now() - start) / 1000 };
}

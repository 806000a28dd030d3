// The notebooks as a data scientist reruns them: Jupyter Notebook (Debian's) with the project's
// tslab kernel, driven through its own menus in headless Chromium. 01 and 02: Cell > Run All;
// 03: Kernel > Restart & Run All; then 50 trials typed into the setup cell, Cell > Run All Below,
// Kernel > Interrupt during the tuning; then 2 trials typed in and Cell > Run All Below again. Each run must finish every cell with no error output
// and draw every chart the notebook promises (`demo.expect: "chart"`). The notebooks run from a
// throwaway copy beside notebooks/ (Jupyter autosaves; the committed files stay untouched), with a
// temporary HOME, Jupyter runtime dir and MLflow store. Screenshots: tests/jupyter/screenshots/.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { notebookServerMissing, startNotebookServer, type NotebookServer } from "../../scripts/jupyter-tools.mjs";
import { ensureKernel, listNotebooks, missingTools, NOTEBOOKS_DIR, ROOT, type NotebookJson } from "../../scripts/presentation-tools.mjs";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SCREENSHOTS = join(ROOT, "tests", "jupyter", "screenshots");
/** Trials of the tuning when run all (the notebook reads N_TRIALS), then the number typed into its setup cell. */
const TRIALS = 3;
const EDITED_TRIALS = 2;
/** One notebook run through the UI may take this long on a loaded 2-core machine. */
const RUN_TIMEOUT_MS = 900_000;

const reasons = [
  ...missingTools(),
  notebookServerMissing(),
  existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (apt-get install chromium)`,
  existsSync(join(ROOT, "dist", "index.js")) ? null : "dist/ is missing: run npm run build first (npm test does)",
].filter((r): r is string => r !== null);
if (reasons.length > 0) console.warn(`SKIPPED the notebooks in Jupyter: ${reasons.join("; ")}`);

/** What the page shows for one code cell. */
interface CellView {
  source: string;
  prompt: string;
  problems: string[];
  charts: number;
  drawn: number;
  text: string;
}

const readNotebook = (path: string): NotebookJson => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;
const codeCellsOf = (nb: NotebookJson) => nb.cells.filter((c) => c.cell_type === "code");

// Read in the page (a string: the tests are compiled without the DOM's types).
const CELL_VIEWS = `[...document.querySelectorAll(".cell.code_cell")].map((cell) => {
  const editor = cell.querySelector(".CodeMirror");
  const plots = [...cell.querySelectorAll(".output_area .js-plotly-plot")];
  return {
    source: editor && editor.CodeMirror ? editor.CodeMirror.getValue() : "",
    prompt: (cell.querySelector(".input_prompt")?.textContent ?? "").replace(/\\s+/g, ""),
    problems: [...cell.querySelectorAll(".output_error, .output_stderr")].map((e) => e.innerText.trim()),
    charts: plots.length,
    drawn: plots.filter((p) => p.querySelector("svg.main-svg") !== null).length,
    text: [...cell.querySelectorAll(".output_area")].map((o) => o.innerText).join("\\n"),
  };
})`;

async function cellViews(page: Page): Promise<CellView[]> {
  return (await page.evaluate(CELL_VIEWS)) as CellView[];
}

const running = (views: CellView[]) => views.some((v) => v.prompt.includes("[*]"));

/** Clicks a menu item of Jupyter's menu bar, as a person does. */
async function menu(page: Page, menuId: string, itemId: string): Promise<void> {
  await page.click(`#${menuId}`);
  await page.click(`#${itemId}`);
}

/** Waits until the run started by a menu click has finished: no cell queued or running, the kernel idle. */
async function waitForRun(page: Page): Promise<CellView[]> {
  // The menu click queues cells ("In [*]") at once; wait for that, then for the queue to drain.
  await page.waitForFunction(`[...document.querySelectorAll(".code_cell .input_prompt")].some((p) => p.textContent.includes("*"))`, undefined, { timeout: 60_000 });
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  for (;;) {
    const views = await cellViews(page);
    const idle = await page.$("#kernel_indicator_icon.kernel_idle_icon");
    if (!running(views) && idle !== null) return views;
    if (Date.now() > deadline) throw new Error(`the run did not finish within ${RUN_TIMEOUT_MS / 1000} s: ${views.map((v) => v.prompt).join(" ")}`);
    await page.waitForTimeout(1000);
  }
}

/** Every code cell ran (a number in its prompt), none shows an error, each promised chart is drawn. */
function checkRun(name: string, views: CellView[], expected: NotebookJson): void {
  const cells = codeCellsOf(expected);
  expect(views.length, `${name}: code cells on the page`).toBe(cells.length);
  views.forEach((view, i) => {
    const where = `${name} cell ${i + 1} of ${views.length} (${view.source.split("\n")[0]?.slice(0, 70)})`;
    expect(view.problems, `${where} shows an error`).toEqual([]);
    expect(view.prompt, `${where} did not run`).toMatch(/^In\[\d+\]:$/);
    expect(view.text, where).not.toContain("plotly.js is not loaded");
    if (cells[i]?.metadata?.demo?.expect === "chart") {
      expect(view.charts, `${where}: no chart`).toBeGreaterThan(0);
      expect(view.drawn, `${where}: chart not drawn`).toBe(view.charts);
    }
  });
}

const trialLines = (text: string) => text.split("\n").filter((l) => /\b(COMPLETE|PRUNED|FAIL)\b/.test(l)).length;

describe.skipIf(reasons.length > 0)("the notebooks in Jupyter Notebook, run through its menus in Chromium", () => {
  const work = mkdtempSync(join(tmpdir(), "jupyter-ui-"));
  // Beside notebooks/, so "./library" and its "../dist" resolve as in notebooks/.
  const copy = mkdtempSync(join(ROOT, ".jupyter-test-"));
  let server: NotebookServer | undefined;
  let browser: Browser | undefined;
  const log: string[] = [];

  beforeAll(async () => {
    ensureKernel();
    for (const file of readdirSync(NOTEBOOKS_DIR)) {
      if (/^\d\d-.*\.ipynb$/.test(file) || /^library\.(js|d\.ts)$/.test(file)) cpSync(join(NOTEBOOKS_DIR, file), join(copy, file));
    }
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    delete process.env["OLX_CSV"]; // the bundled sample, whatever the caller's environment says
    const home = join(work, "home");
    mkdirSync(home);
    server = await startNotebookServer({
      notebookDir: copy,
      env: {
        HOME: home,
        JUPYTER_RUNTIME_DIR: join(work, "runtime"),
        MLFLOW_TRACKING_URI: join(work, "mlruns"),
        TRACKING_DIR: join(work, "mlruns-01"),
        N_TRIALS: String(TRIALS),
      },
      log: (line) => log.push(line),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(copy, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  async function open(name: string): Promise<Page> {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${server?.base}/notebooks/${name}?token=${server?.token}`);
    await page.waitForSelector(".cell.code_cell .CodeMirror", { timeout: 60_000 });
    await page.waitForFunction("window.Jupyter?.notebook?.kernel?.is_connected?.() === true", undefined, { timeout: 120_000 });
    await page.waitForSelector("#kernel_indicator_icon.kernel_idle_icon", { timeout: 120_000 });
    return page;
  }

  async function screenshots(page: Page, name: string, views: CellView[]): Promise<void> {
    const stem = basename(name, ".ipynb");
    await page.evaluate("document.getElementById('site').scrollTop = 0");
    await page.screenshot({ path: join(SCREENSHOTS, `${stem}-top.png`) });
    const firstChart = views.findIndex((v) => v.charts > 0);
    if (firstChart >= 0) await (await page.$$(".cell.code_cell"))[firstChart]?.screenshot({ path: join(SCREENSHOTS, `${stem}-first-chart.png`) });
  }

  for (const path of listNotebooks().filter((p) => !basename(p).startsWith("03-"))) {
    const name = basename(path);
    it(`${name}: Cell > Run All finishes every cell without an error and draws its charts`, async () => {
      const page = await open(name);
      await menu(page, "celllink", "run_all_cells");
      const views = await waitForRun(page);
      await screenshots(page, name, views);
      checkRun(name, views, readNotebook(path));
      await page.close();
    }, RUN_TIMEOUT_MS + 120_000);
  }

  const tuning = listNotebooks().find((p) => basename(p).startsWith("03-"));
  it.skipIf(tuning === undefined)("03: Kernel > Restart & Run All; a long tuning typed in, run below and interrupted; fewer trials typed in and Cell > Run All Below", async () => {
    const name = basename(tuning as string);
    const expected = readNotebook(tuning as string);
    const page = await open(name);
    await menu(page, "kernellink", "restart_run_all");
    await page.click(".modal-dialog .modal-footer button.btn-danger"); // "Restart and Run All Cells"
    const first = await waitForRun(page);
    await screenshots(page, name, first);
    checkRun(name, first, expected);
    const tuningCell = first.findIndex((v) => v.source.includes("runHyperOpt("));
    expect(tuningCell, "the tuning cell").toBeGreaterThanOrEqual(0);
    expect(trialLines(first[tuningCell]?.text ?? ""), `trials reported with N_TRIALS=${TRIALS}`).toBe(TRIALS);

    // The parameter cell: the line that sets N_TRIALS, rewritten from the keyboard.
    const setupCell = first.findIndex((v) => /^const N_TRIALS\b/m.test(v.source));
    expect(setupCell, "the cell that sets N_TRIALS").toBeGreaterThanOrEqual(0);
    const line = (first[setupCell]?.source ?? "").split("\n").findIndex((l) => /^const N_TRIALS\b/.test(l));
    const setTrials = async (text: string): Promise<void> => {
      const cell = (await page.$$(".cell.code_cell"))[setupCell];
      await cell?.scrollIntoViewIfNeeded();
      await (await cell?.$(".CodeMirror-code"))?.click();
      await page.keyboard.press("Control+Home");
      for (let i = 0; i < line; i++) await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Home");
      await page.keyboard.press("Shift+End");
      await page.keyboard.type(text);
      const edited = (await cellViews(page))[setupCell]?.source ?? "";
      expect(edited.split("\n")[line]).toBe(text);
      expect(edited.split("\n").length).toBe((first[setupCell]?.source ?? "").split("\n").length);
    };
    const count = (v: CellView | undefined) => Number(/\[(\d+)\]/.exec(v?.prompt ?? "")?.[1]);
    const lastCount = count(first[first.length - 1]);

    // A long tuning, interrupted from the Kernel menu once it has reported two trials.
    await setTrials("const N_TRIALS = 50; // long: interrupt it");
    await menu(page, "celllink", "run_all_cells_below");
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    for (;;) {
      const views = await cellViews(page);
      // The cell above the tuning has run again, so the tuning cell's output is the new run's.
      if (count(views[tuningCell - 1]) > lastCount && trialLines(views[tuningCell]?.text ?? "") >= 2) break;
      if (!running(views)) throw new Error(`the long tuning ended before it could be interrupted:\n${views[tuningCell]?.text}`);
      if (Date.now() > deadline) throw new Error("the long tuning reported no 2 trials in time");
      await page.waitForTimeout(500);
    }
    await menu(page, "kernellink", "int_kernel");
    const interrupted = await waitForRun(page);
    await (await page.$$(".cell.code_cell"))[tuningCell]?.screenshot({ path: join(SCREENSHOTS, "03-tuning-interrupted.png") });
    expect(interrupted[tuningCell]?.problems.join("\n")).toContain("Interrupted");
    expect(trialLines(interrupted[tuningCell]?.text ?? "")).toBeLessThan(50);
    interrupted.slice(tuningCell + 1).forEach((v, i) => expect(count(v), `cell ${tuningCell + i + 2} below the interrupted one did not run`).not.toBeGreaterThan(lastCount));

    // Go on: fewer trials, and everything from the setup cell down again.
    await setTrials(`const N_TRIALS = ${EDITED_TRIALS}; // fewer, to try`);
    const beforeRerun = count(interrupted[tuningCell]);
    await menu(page, "celllink", "run_all_cells_below"); // the selected cell and every cell below it
    const second = await waitForRun(page);
    await page.screenshot({ path: join(SCREENSHOTS, "03-after-edit.png") });
    await (await page.$$(".cell.code_cell"))[tuningCell]?.screenshot({ path: join(SCREENSHOTS, "03-tuning-after-edit.png") });
    checkRun(name, second, expected);
    second.forEach((v, i) => {
      if (i < setupCell) expect(count(v), `cell ${i + 1} above the edit is not rerun`).toBe(count(first[i]));
      else expect(count(v), `cell ${i + 1} from the edit down is rerun`).toBeGreaterThan(beforeRerun);
    });
    expect(second[tuningCell]?.text).not.toBe(first[tuningCell]?.text);
    // Exactly the trials asked for: the interrupted tuning printed nothing more (it stopped).
    expect(trialLines(second[tuningCell]?.text ?? ""), `trials reported after typing N_TRIALS = ${EDITED_TRIALS}`).toBe(EDITED_TRIALS);
    await page.close();
  }, 2 * RUN_TIMEOUT_MS + 120_000);
});

// The presentation end to end: the committed notebooks carry no outputs; each executes on the
// bundled sample in a fresh tslab kernel (real Jupyter); each exported deck opens offline in
// headless Chromium, shows every slide, draws every chart and logs no error. The notebooks are
// executed once, in beforeAll, and the checks share the result.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import {
  checkExecuted,
  committedProblems,
  ensureKernel,
  executeNotebook,
  exportSlides,
  externalReferences,
  listNotebooks,
  missingTools,
  ROOT,
  type NotebookJson,
} from "../../scripts/presentation-tools.mjs";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const notebooks = listNotebooks();
const readNotebook = (path: string): NotebookJson => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;

describe("committed notebooks", () => {
  it("are the three parts of the talk, each for the tslab kernel", () => {
    expect(notebooks.map((n) => basename(n).slice(0, 3))).toEqual(["01-", "02-", "03-"]);
    for (const nb of notebooks) expect((readNotebook(nb).metadata["kernelspec"] as { name: string }).name, nb).toBe("tslab");
  });

  it.each(notebooks.map((n) => [basename(n), n]))("%s carries no outputs and no execution counts", (_, path) => {
    expect(committedProblems(readNotebook(path))).toEqual([]);
  });
});

const missing = missingTools();
const chromiumMissing = !existsSync(CHROMIUM);
if (missing.length > 0) console.warn(`SKIPPED executing the notebooks: ${missing.join("; ")}`);
if (chromiumMissing) console.warn(`SKIPPED opening the slide decks: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(missing.length > 0)("notebooks executed on the bundled sample", () => {
  const work = mkdtempSync(join(tmpdir(), "presentation-"));
  const executed = new Map<string, ReturnType<typeof executeNotebook>>();
  const decks = new Map<string, string>();

  beforeAll(() => {
    if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run npm run build first (npm test does)");
    ensureKernel();
    // The sample, not whatever OLX_CSV names; tracking into a temporary store, not ./mlruns.
    delete process.env["OLX_CSV"];
    for (const nb of notebooks) {
      const r = executeNotebook(nb, { timeoutSeconds: 300, env: { MLFLOW_TRACKING_URI: join(work, "mlruns") }, outputDir: join(work, "executed") });
      executed.set(basename(nb), r);
      if (r.ok) decks.set(basename(nb), exportSlides(r.output, { outputDir: join(work, "slides") }).output);
    }
  }, 900_000);

  it.each(notebooks.map((n) => [basename(n)]))("%s runs top to bottom with every expected table and chart", (name) => {
    const r = executed.get(name);
    expect(r, `${name} was not executed`).toBeDefined();
    expect(r?.report, r?.report).toBe("");
    expect(r?.ok).toBe(true);
    // Independent of the runner's verdict: the executed copy itself has no error output.
    expect(checkExecuted(readNotebook(r?.output ?? ""))).toEqual([]);
  });

  it("reports a failing cell with its source and tslab's message, and stops there", () => {
    const cell = (id: string, source: string, expect?: string) => ({
      cell_type: "code", id, metadata: expect === undefined ? {} : { demo: { expect } }, source, outputs: [], execution_count: null,
    });
    const nb = {
      cells: [cell("a", "const answer: number = 42;"), cell("b", 'const broken: number = "not a number";'), cell("c", "console.log(answer);", "output")],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    const path = join(work, "broken.ipynb");
    writeFileSync(path, JSON.stringify(nb));
    const r = executeNotebook(path, { timeoutSeconds: 120, outputDir: join(work, "broken") });
    expect(r.ok).toBe(false);
    expect(r.report).toContain("cell 1 failed");
    expect(r.report).toContain('const broken: number = "not a number";');
    expect(r.report).toMatch(/not assignable to type 'number'/);
    const executedCells = readNotebook(r.output).cells;
    expect(executedCells[2]?.outputs).toEqual([]);
  }, 180_000);

  describe.skipIf(chromiumMissing)("slide decks in headless Chromium, offline", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it.each(notebooks.map((n) => [basename(n)]))("%s shows every slide and draws every chart with no network and no error", async (name) => {
      const deck = decks.get(name);
      expect(deck, `no deck for ${name}`).toBeDefined();
      const html = readFileSync(deck ?? "", "utf8");
      expect(externalReferences(html)).toEqual([]);
      const expectedCharts = readNotebook(join(ROOT, "notebooks", name)).cells.filter((c) => c.metadata?.demo?.expect === "chart").length;

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      const blocked: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.route(/^(?!file:|data:|blob:)/, async (route) => {
        blocked.push(route.request().url());
        await route.abort();
      });
      await page.goto(`file://${deck}`);
      await page.waitForFunction("window.Reveal !== undefined && window.Reveal.isReady()", undefined, { timeout: 30_000 });

      const total = (await page.evaluate("Reveal.getTotalSlides()")) as number;
      expect(total).toBeGreaterThan(3);
      const indices = (await page.evaluate("Reveal.getSlides().map((s) => Reveal.getIndices(s))")) as { h: number; v?: number }[];
      expect(indices.length).toBe(total);
      for (const { h, v } of indices) {
        await page.evaluate(`Reveal.slide(${h}, ${v ?? 0})`);
        // The current slide is visible, has a size and shows something: text, a table or a chart.
        const shown = (await page.evaluate(`(() => {
          const s = Reveal.getCurrentSlide();
          const r = s.getBoundingClientRect();
          const style = getComputedStyle(s);
          return { visible: style.display !== "none" && style.visibility !== "hidden" && r.width > 0 && r.height > 0,
                   text: s.innerText.trim().length, media: s.querySelectorAll("table, svg.main-svg").length };
        })()`)) as { visible: boolean; text: number; media: number };
        expect(shown.visible, `slide ${h}/${v ?? 0} of ${name} is not visible`).toBe(true);
        expect(shown.text + shown.media, `slide ${h}/${v ?? 0} of ${name} is empty`).toBeGreaterThan(0);
      }
      const charts = (await page.evaluate(`(() => {
        const all = [...document.querySelectorAll(".demo-plotly-chart")];
        return { all: all.length, drawn: all.filter((c) => c.classList.contains("js-plotly-plot") && c.querySelector("svg.main-svg")).length };
      })()`)) as { all: number; drawn: number };
      expect(charts.all).toBe(expectedCharts);
      expect(charts.drawn).toBe(expectedCharts);
      expect(await page.evaluate("typeof window.Plotly")).toBe("object");
      expect(html.split("* plotly.js v").length - 1, "plotly.js is inlined exactly once").toBe(1);
      expect(errors).toEqual([]);
      expect(blocked).toEqual([]);
      await page.close();
    }, 120_000);
  });
});

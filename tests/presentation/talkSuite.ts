// The talk built and checked as its audience sees it (see notebooks.test.ts): shared by the sample
// and real-data suites, which run as two test files so vitest can run them side by side.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildSlides, REVIEW_DIR, type BuiltDeck } from "../../scripts/build-slides.mjs";
import { chromiumMissing, launchChromium } from "../../scripts/chromium.mjs";
import { checkExecuted, ensureKernel, executeNotebook, listNotebooks, missingTools, ROOT, type NotebookJson } from "../../scripts/presentation-tools.mjs";

const notebooks = listNotebooks();
const readNotebook = (path: string): NotebookJson => JSON.parse(readFileSync(path, "utf8")) as NotebookJson;
/** The real data, when ../shared has it. */
export const REAL_CSV = join(ROOT, "..", "shared", "data", "olx_house_price_Q122.csv");
/** The smallest budget that still shows TPE at work: 10 random start-up trials, then TPE's own. */
export const TEST_TRIALS = "12";
/** What is missing to build the talk (Jupyter, tslab, Chromium), as messages. */
export const talkToolsMissing: string[] = [...missingTools(), ...(chromiumMissing() === null ? [] : [chromiumMissing() as string])];

/** Pages of a PDF as poppler's pdfinfo counts them (truth independent of our own parser). */
function pdfinfoPages(pdf: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync("/usr/bin/pdfinfo", [pdf], { encoding: "utf8" }))?.[1]);
}

/**
 * Executes the notebooks into a temporary folder (tracking there too) with `env`, then builds the
 * decks, their PDFs and the check; the checks below share the result.
 */
export function talkSuite(label: "sample" | "real", env: Record<string, string>, options: { pdf: boolean }): void {
  const work = mkdtempSync(join(tmpdir(), `talk-${label}-`));
  const executed = new Map<string, ReturnType<typeof executeNotebook>>();
  let built: { decks: BuiltDeck[]; problems: string[] } = { decks: [], problems: [] };
  const deck = (name: string): BuiltDeck | undefined => built.decks.find((d) => `${d.name}.ipynb` === name);

  beforeAll(async () => {
    if (!existsSync(join(ROOT, "dist", "index.js"))) throw new Error("dist/ is missing: run npm run build first (npm test does)");
    ensureKernel();
    const trackingUri = join(work, "mlruns");
    for (const nb of notebooks) {
      const r = executeNotebook(nb, { timeoutSeconds: 1800, env: { MLFLOW_TRACKING_URI: trackingUri, N_TRIALS: TEST_TRIALS, ...env }, outputDir: join(work, "executed") });
      executed.set(basename(nb), r);
    }
    const ok = [...executed.values()].filter((r) => r.ok).map((r) => r.output);
    const reviewDir = join(REVIEW_DIR, label);
    rmSync(reviewDir, { recursive: true, force: true });
    built = await buildSlides(ok, { outputDir: join(work, "slides"), screenshotDir: join(work, "ui"), trackingUri, pdf: options.pdf, check: true, reviewDir });
  }, 1_500_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(notebooks.map((n) => [basename(n)]))("%s runs top to bottom with every expected table, chart and diagram", (name) => {
    const r = executed.get(name);
    expect(r, `${name} was not executed`).toBeDefined();
    expect(r?.report, r?.report).toBe("");
    expect(r?.ok).toBe(true);
    // Independent of the runner's verdict: the executed copy itself has no error output.
    expect(checkExecuted(readNotebook(r?.output ?? ""))).toEqual([]);
  });

  it.each(notebooks.map((n) => [basename(n)]))("%s: every slide passes the audience's check at 1280x720", (name) => {
    const d = deck(name);
    expect(d?.check, `no deck for ${name}: ${built.problems.join("; ")}`).toBeDefined();
    const check = d?.check;
    expect(check?.slides).toBeGreaterThan(10);
    expect(check?.screenshots.length).toBe(check?.slides);
    expect(check?.consoleErrors).toEqual([]);
    expect(check?.requests).toEqual([]);
    expect(check?.problems).toEqual([]);
    const expectedCharts = readNotebook(join(ROOT, "notebooks", name)).cells.filter((c) => c.metadata?.demo?.expect === "chart").length;
    expect(check?.charts).toBe(expectedCharts);
  });

  if (options.pdf) it.each(notebooks.map((n) => [basename(n)]))("%s: its PDF has one page per slide, charts drawn", (name) => {
    const pdf = deck(name)?.pdf;
    expect(pdf, `no PDF for ${name}`).toBeDefined();
    expect(pdf?.pages).toBe(deck(name)?.check?.slides);
    expect(pdf?.drawn).toBe(pdf?.charts);
    if (existsSync("/usr/bin/pdfinfo")) expect(pdfinfoPages(pdf?.pdf ?? "")).toBe(pdf?.pages);
    else console.warn("SKIPPED counting the PDF's pages with pdfinfo: /usr/bin/pdfinfo is missing (apt-get install poppler-utils)");
  });

  it("says which data it ran on, and only that", () => {
    const html = readFileSync(deck("02-experiment-1.ipynb")?.output ?? "", "utf8");
    if (label === "real") {
      expect(html).toContain("These slides ran on the <strong>real data</strong>");
      expect(html).not.toMatch(/synthetic sample/i);
    } else expect(html).toContain("These slides ran on a <strong>synthetic sample</strong>");
    const tuning = readFileSync(deck("03-experiment-2.ipynb")?.output ?? "", "utf8");
    expect(tuning).toContain(`This run tried <strong>${TEST_TRIALS} trials</strong>, a budget of ${TEST_TRIALS}`);
  });

  // The presenter view depends on the template, not the data: checked once, on the sample.
  if (label === "sample") it("the presenter view (S) shows the speaker notes from the notebook's metadata", async () => {
    const nb = readNotebook(join(ROOT, "notebooks", "01-mlflow-concepts.ipynb"));
    const expected = (nb.cells[0]?.metadata?.demo?.notes ?? "").slice(0, 60);
    expect(expected.length).toBeGreaterThan(20);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.goto(`file://${deck("01-mlflow-concepts.ipynb")?.output ?? ""}`);
      await page.waitForFunction("window.Reveal !== undefined && window.Reveal.isReady()");
      const opened = context.waitForEvent("page", { timeout: 60_000 });
      await page.keyboard.press("s");
      const speaker = await opened;
      // The presenter view loads the deck twice (current and next slide): slow on a loaded machine.
      await speaker.waitForFunction(`document.body.innerText.includes(${JSON.stringify(expected)})`, undefined, { timeout: 90_000 });
    } finally {
      await browser.close();
    }
  }, 200_000);

  it("no problem is left unreported", () => {
    expect(built.problems).toEqual([]);
  });
}


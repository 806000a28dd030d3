/**
 * Chromium (Debian's, driven by playwright-core) for the UI tests: each page is watched for
 * console errors, uncaught exceptions, failed requests and HTTP errors; axe-core checks its
 * accessibility; screenshots go to test-output/ui/<backend>/ (git-ignored) for review.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** The flags the project's browser tests use (software WebGL still works with --disable-gpu). */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Where screenshots go. */
export const SHOTS_DIR = resolve(__dirname, "..", "..", "test-output", "ui");

/** Launches Chromium. */
export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Problems a page showed. */
export interface PageProblems {
  readonly console: string[];
  readonly failed: string[];
}

/** A page at 1280x720 whose problems are recorded. */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: PageProblems; reset(): void }> {
  const page = await context.newPage();
  const problems: { console: string[]; failed: string[] } = { console: [], failed: [] };
  // Says where a Content-Security-Policy violation comes from (the browser's own message does not).
  await page.addInitScript("document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation', e.violatedDirective, e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber, JSON.stringify(e.sample)))");
  page.on("console", (m) => {
    if (m.type() === "error") problems.console.push(m.text());
  });
  page.on("pageerror", (e) => problems.console.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // A download the test reads itself, or a poll cut short by navigation, is not a failure of the page.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && (r.url().startsWith("blob:") || r.url().includes("/runs/search") || r.url().includes("/metrics/get-history"))) return;
    problems.failed.push(`${r.url()}: ${r.failure()?.errorText ?? "failed"}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.status()} ${r.url()}`);
  });
  return {
    page,
    problems,
    reset() {
      problems.console.length = 0;
      problems.failed.length = 0;
    },
  };
}

const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page, as readable lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate("typeof window.axe !== 'undefined'"))) await page.evaluate(AXE);
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as {
    violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
  };
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
}

/** Saves a screenshot as test-output/ui/<backend>/<name>.png. */
export async function screenshot(page: Page, backend: string, name: string): Promise<string> {
  const dir = join(SHOTS_DIR, backend);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

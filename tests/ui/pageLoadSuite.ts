/**
 * The web UI on a backend other than the one that runs the whole checklist (uiSuite.ts):
 * every page loads with no console error, no failed request and no serious axe-core
 * violation and is screenshotted, and what the backend itself answers is asserted on the
 * DOM: values as logged (full precision on hover, Optuna states from tags, an escaped run
 * name, a git commit), the store's search (newest first, paging, a parent's children, a
 * filter string, order_by, several experiments), metric histories, the registry, and
 * artifact previews and MLmodel files read from the backend's own artifact storage. What the
 * browser alone decides (the interactions, edits, live updates, permissions) is left to the
 * whole suite; the store calls behind the edits are checked on every backend by
 * tests/server/storeSuite.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectArtifactPreviews } from "./artifactChecks";
import type { PageProblems } from "./browser";
import { TRIALS, type Seeded } from "./seed";
import { CHART_TEST_MS, CHART_WAIT, firstRowIs, useUiServer, WAIT, type SuiteState, type UiBackend } from "./uiHarness";

/** Defines the page-load suite for one backend; `more` adds the backend's own tests. */
export function definePageLoadSuite(backendName: string, open: () => Promise<UiBackend>, more?: (state: () => SuiteState) => void): void {
  describe(`web UI pages on ${backendName}`, () => {
    const state = useUiServer(backendName, open, { axe: true, withAuth: false });
    let page: Page;
    let problems: PageProblems;
    let seeded: Seeded;
    let visit: SuiteState["visit"];
    beforeAll(() => {
      ({ page, problems, seeded, visit } = state());
    });
    const gridRows = async (): Promise<number> => Number(await page.getAttribute("#runs-grid [aria-rowcount]", "aria-rowcount")) - 1;
    const expectClean = (): void => {
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
    };

    it("loads a study's runs from the store: newest first, values as logged, Optuna states, Load more, the parent's children", async () => {
      await visit("runs-table", `/experiments/${seeded.studyExperimentId}`, "#run-count[data-count='100']");
      await page.waitForSelector(firstRowIs(String(TRIALS - 1)), WAIT);
      const last = TRIALS - 1;
      const title = await page.getAttribute(`.ag-row[row-id='${seeded.trialRunIds[last]}'] [col-id='metrics.value'] .num`, "title");
      expect(title).toBe(String(seeded.values.get(last))); // the store kept every digit
      for (const n of [last - 1, TRIALS - 3]) {
        const want = seeded.states.get(n);
        expect(await page.textContent(`.ag-row[row-id='${seeded.trialRunIds[n]}'] [col-id='attributes.Status']`)).toBe(want === "COMPLETE" ? "FINISHED" : want);
      }
      await page.click("#load-more");
      await page.waitForSelector(`#run-count[data-count='${TRIALS + 1}']`, WAIT);
      await page.click(`#runs-grid .ag-row[row-id='${seeded.parentRunId}'] .expander`);
      await page.waitForSelector(`#runs-grid [aria-rowcount='${TRIALS + 2}']`, WAIT);
      expectClean();
    });

    it("filters with an MLflow filter string and sorts by a metric, both answered by the store", async () => {
      await page.goto(`${state().url}/experiments/${seeded.studyExperimentId}`);
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      await page.fill("#filter-input", "metrics.value < 62000");
      await page.keyboard.press("Enter");
      const expected = [...seeded.values.values()].filter((v) => v < 62000).length;
      await page.waitForSelector(`#run-count[data-count='${expected}']`, WAIT);
      expect(await gridRows()).toBe(expected);
      await page.click("button:has-text('Clear')");
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      const byValue = [...seeded.values.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => String(n));
      await page.click(".ag-header-cell[col-id='metrics.value'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byValue[byValue.length - 1] as string), WAIT);
      expectClean();
    });

    it("loads several experiments' runs together, a hostile run name shown as text", async () => {
      await visit("runs-two-experiments", `/experiments?ids=${seeded.trainerExperimentId},${seeded.studyExperimentId}`, "#run-count[data-count='100']");
      await page.click("#load-more");
      await page.waitForSelector(`#run-count[data-count='${TRIALS + 1 + 5}']`, WAIT);
      await page.waitForSelector(`.run-link:text-is(${JSON.stringify(seeded.evilName)})`, WAIT);
      expect(await page.evaluate("window.__xss")).toBeUndefined();
      expectClean();
    });

    it("loads the chart view", async () => {
      await visit("charts", `/experiments/${seeded.studyExperimentId}?view=chart`, "[data-chart-type=parallel] [data-ready=true]");
      await page.waitForSelector("[data-chart-type=contour] [data-ready=true]", CHART_WAIT);
      expectClean();
    }, CHART_TEST_MS);

    it("loads a run page and previews its artifacts from this backend's storage", async () => {
      await visit("run", `/runs/${seeded.modelRunIds.Ridge}`, "#metric-charts [data-ready=true]");
      expect(await page.getAttribute("#metric-charts", "data-count")).toBe("1"); // only fold_rmse has 5 steps
      expect(await page.getAttribute("#metric-charts .chart-card", "data-metric")).toBe("fold_rmse");
      expect(await page.textContent("#run-details")).toContain("f8fd5ab0c0ff");
      expect(await page.textContent("#registered-versions")).toContain("olx-ridge v1");
      await expectArtifactPreviews(page, problems);
    }, CHART_TEST_MS);

    it("loads the compare page", async () => {
      await visit("compare", `/compare?runs=${seeded.modelRunIds.Ridge},${seeded.modelRunIds.KNN}`, "#parallel[data-ready=true]");
      await page.waitForSelector("#overlays [data-metric=fold_rmse] [data-ready=true]", CHART_WAIT);
      expect(await page.getAttribute("#compare-table tr[data-param=model]", "class")).toBe("diff");
      expect(await page.getAttribute("#compare-table tr[data-param=cv]", "class")).toBe("");
      expect(await page.getAttribute("#overlays [data-metric=fold_rmse] [data-traces]", "data-traces")).toBe("2");
      expectClean();
    }, CHART_TEST_MS);

    it("loads the registry's pages: models, a model, a version with its MLmodel from the storage", async () => {
      await visit("models", "/models", `#models tr[data-model='${seeded.modelName}']`);
      expect(await page.textContent(`#models tr[data-model='${seeded.modelName}']`)).toContain("@champion: v1");
      await visit("model", `/models/${seeded.modelName}`, "#aliases li[data-alias=champion]");
      await visit("version", `/models/${seeded.modelName}/versions/1`, "#mlmodel");
      expect(await page.textContent("#version-description")).toContain("OLX sample");
      expect(await page.textContent("#mlmodel .signature")).toContain("rooms");
    });

    more?.(state);
  });
}

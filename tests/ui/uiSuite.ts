/**
 * The web UI's whole checklist (issue 15) in Chromium against a real server on 127.0.0.1, the
 * same on every backend: each file (uiSqlite, uiFileStore, uiPostgres) differs only in how it
 * opens its stores (and its own extra tests). Each page loads with no console error, failed
 * request or serious axe-core violation and is screenshotted once; each interaction is
 * asserted on the DOM and, for edits, read back from the store; values are checked against
 * what the seed logged. Which test covers which checklist item: docs/decisions.md, "issue 15:
 * browser tests per backend".
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import type { MlflowClient } from "../../src/tracking/client";
import { expectArtifactPreviews } from "./artifactChecks";
import { expectStudyParallel, expectTrainerParallel, studyRuns } from "./parallelChecks";
import { screenshot, seriousViolations, watchedPage, type PageProblems } from "./browser";
import { TRIALS, type Seeded } from "./seed";
import { CHART_TEST_MS, CHART_WAIT, firstRowIs, useUiServer, WAIT, type SuiteState, type UiBackend } from "./uiHarness";

/** A model the suite registers from a run's `MLmodel` in the browser. */
const REGISTERED_FROM_UI = "olx-ridge-ui";

/** What a backend's file adds or changes. */
export interface UiSuiteExtras {
  /** More tests, given the running suite's state (the SQLite file runs the real CLI). */
  readonly more?: (state: () => SuiteState) => void;
}

/** Defines the whole suite for one backend. */
export function defineUiSuite(backendName: string, open: () => Promise<UiBackend>, extras: UiSuiteExtras = {}): void {
  describe(`web UI on ${backendName}`, () => {
    const state = useUiServer(backendName, open, { axe: true, withAuth: true });
    let url: string;
    let authUrl: string;
    let page: Page;
    let problems: PageProblems;
    let seeded: Seeded;
    let client: MlflowClient;
    let visit: SuiteState["visit"];
    beforeAll(() => {
      ({ url, authUrl, page, problems, seeded, client, visit } = state());
    });

    const rowCount = async (): Promise<number> => Number(await page.getAttribute("#run-count", "data-count"));
    const gridRows = async (): Promise<number> => Number(await page.getAttribute("#runs-grid [aria-rowcount]", "aria-rowcount")) - 1;
    const firstNames = (n: number): Promise<string[]> =>
      page.$$eval("#runs-grid .ag-row[row-index]", (rows, count) => rows.sort((a, b) => Number(a.getAttribute("row-index")) - Number(b.getAttribute("row-index"))).slice(0, count).map((r) => r.querySelector(".run-link")?.textContent ?? ""), n);

    it("answers /favicon.ico and sends pages with a strict Content-Security-Policy", async () => {
      const icon = await fetch(`${url}/favicon.ico`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toBe("image/x-icon");
      expect(Buffer.from(await icon.arrayBuffer()).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
      const shell = await fetch(`${url}/experiments/${seeded.studyExperimentId}`);
      const csp = shell.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-eval");
      expect(csp).not.toContain("unsafe-inline");
    });

    it("shows the study's first page with the objective pinned first, rounded values and Optuna states", async () => {
      await visit("runs-table", `/experiments/${seeded.studyExperimentId}`, "#run-count[data-count='100']");
      expect(await page.textContent("#experiment-title")).toBe(seeded.studyName);
      const pinnedHeaders = await page.$$eval(".ag-header-row .ag-grid-pinned-left-cells .ag-header-cell-text", (els) => els.map((e) => e.textContent).filter((t) => t !== ""));
      expect(pinnedHeaders).toEqual(["Run Name", "value"]);
      // Newest first, as the store orders them: trial TRIALS-1 is the first row.
      const last = TRIALS - 1;
      await page.waitForSelector(firstRowIs(String(last)), WAIT);
      const cell = page.locator(`.ag-row[row-id='${seeded.trialRunIds[last]}'] [col-id='metrics.value'] .num`).first();
      const full = seeded.values.get(last) as number;
      expect(await cell.getAttribute("title")).toBe(String(full));
      const shown = (await cell.textContent()) as string;
      expect(shown.length).toBeLessThan(String(full).length);
      expect(Math.abs(Number(shown.replace(/,/g, "")) - full)).toBeLessThanOrEqual(0.5);
      for (const [n, want] of [[last - 1, seeded.states.get(last - 1)], [TRIALS - 3, seeded.states.get(TRIALS - 3)]] as const) {
        const status = await page.textContent(`.ag-row[row-id='${seeded.trialRunIds[n]}'] [col-id='attributes.Status']`);
        expect(status).toBe(want === "COMPLETE" ? "FINISHED" : want);
      }
      expect(await gridRows()).toBe(100); // the parent is on page 2: its children stand alone for now
    });

    it("pages with Load more, then groups the study's trials under their parent run and expands it", async () => {
      await page.click("#load-more");
      await page.waitForSelector(`#run-count[data-count='${TRIALS + 1}']`, WAIT);
      expect(await page.$("#load-more")).toBeNull();
      expect(await gridRows()).toBe(1);
      const parentRow = `#runs-grid .ag-row[row-id='${seeded.parentRunId}']`;
      expect(await page.textContent(`${parentRow} .count`)).toBe(` ${TRIALS} child runs`);
      await page.click(`${parentRow} .expander`);
      await page.waitForSelector(`#runs-grid [aria-rowcount='${TRIALS + 2}']`, WAIT);
      expect(await page.getAttribute(`#runs-grid .ag-row[row-id='${seeded.trialRunIds[TRIALS - 1]}']`, "class")).toContain("child-row");
      await screenshot(page, backendName, "runs-table-expanded");
    });

    it("filters with an MLflow filter string typed with key completion, and reports a bad one", async () => {
      await page.goto(`${url}/experiments/${seeded.studyExperimentId}`);
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      await page.click("#filter-input");
      await page.keyboard.type("metrics.va");
      await page.waitForSelector("#filter-options [role=option]", WAIT);
      expect(await page.textContent("#filter-options [role=option][aria-selected=true]")).toBe("metrics.value");
      await page.keyboard.press("Enter");
      expect(await page.inputValue("#filter-input")).toBe("metrics.value ");
      await page.keyboard.type("< 62000");
      expect(await page.inputValue("#filter-input")).toBe("metrics.value < 62000");
      await page.keyboard.press("Enter");
      const expected = [...seeded.values.values()].filter((v) => v < 62000).length;
      await page.waitForSelector(`#run-count[data-count='${expected}']`, WAIT);
      expect(await gridRows()).toBe(expected);
      await page.fill("#filter-input", "metrics.value <");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#search-error", WAIT);
      expect(await page.textContent("#search-error")).toMatch(/invalid|expected|syntax/i);
      await page.click("button:has-text('Clear')");
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
    });

    it("sorts on the server by a param, then by a metric descending and ascending", async () => {
      await page.goto(`${url}/experiments/${seeded.studyExperimentId}`);
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      const byEta = [...seeded.eta.entries()].sort((a, b) => Number(b[1]) - Number(a[1])).map(([n]) => String(n));
      await page.click(".ag-header-cell[col-id='params.eta'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byEta[0] as string), WAIT);
      expect(await firstNames(5)).toEqual(byEta.slice(0, 5));
      const byValue = [...seeded.values.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => String(n));
      await page.click(".ag-header-cell[col-id='metrics.value'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byValue[byValue.length - 1] as string), WAIT);
      expect(await firstNames(5)).toEqual(byValue.slice(-5).reverse());
      await page.click(".ag-header-cell[col-id='metrics.value'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byValue[0] as string), WAIT);
      expect(await firstNames(5)).toEqual(byValue.slice(0, 5));
    });

    it("picks columns (remembered after a reload) and groups runs by a param, then by a tag", async () => {
      await page.click("#columns-button");
      const attributes = await page.$$eval("#columns-panel [data-column^='attributes.']", (els) => els.map((e) => e.getAttribute("data-column")));
      expect(attributes).toEqual(["Run Name", "Created", "Duration", "User", "Source", "Status", "Models", "Datasets"].map((a) => `attributes.${a}`));
      await page.uncheck("[data-column='params.subsample']");
      await page.check("[data-column='tags.state']");
      await page.click("#columns-panel .close");
      const headers = async (): Promise<string[]> => page.$$eval(".ag-header-cell[col-id]", (els) => els.map((e) => e.getAttribute("col-id") as string));
      expect(await headers()).not.toContain("params.subsample");
      expect(await headers()).toContain("tags.state");
      await page.reload();
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      expect(await headers()).not.toContain("params.subsample");
      expect(await headers()).toContain("tags.state");
      await page.selectOption("#group-by", "params.max_depth");
      await page.waitForSelector(".group-row", WAIT);
      // Sorted by value, ascending (the previous test): the 100 lowest values are loaded.
      const loaded = [...seeded.values.entries()].sort((a, b) => a[1] - b[1]).slice(0, 100).map(([n]) => n);
      const groupsOf = (label: string, of: (n: number) => string): Set<string> => {
        const counts = new Map<string, number>();
        for (const n of loaded) counts.set(of(n), (counts.get(of(n)) ?? 0) + 1);
        return new Set([...counts].map(([v, c]) => `${label} = ${v} (${c})`));
      };
      const shownGroups = async (): Promise<Set<string>> =>
        new Set(await page.$$eval("#runs-grid .group-row .name-cell", (els) => els.map((e) => `${e.querySelector(".group-label")?.textContent}${e.querySelector(".count")?.textContent}`)));
      expect(await shownGroups()).toEqual(groupsOf("max_depth", (n) => seeded.maxDepth.get(n) as string));
      await screenshot(page, backendName, "runs-grouped");
      await page.selectOption("#group-by", "tags.state");
      await page.waitForSelector("#runs-grid .group-row .group-label:text-is('state = PRUNED')", WAIT);
      expect(await shownGroups()).toEqual(groupsOf("state", (n) => seeded.states.get(n) as string));
      await page.selectOption("#group-by", "");
    });

    it("downloads the loaded runs as CSV with full-precision values", async () => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-csv")]);
      const text = readFileSync((await download.path()) as string, "utf8");
      const lines = text.trimEnd().split("\r\n");
      expect(lines).toHaveLength(101);
      const header = lines[0]?.split(",") ?? [];
      const valueCol = header.indexOf("metrics.value");
      expect(valueCol).toBeGreaterThan(0);
      const [bestTrial, bestValue] = [...seeded.values.entries()].sort((a, b) => a[1] - b[1])[0] as [number, number];
      const row = lines.find((l) => l.startsWith(`${seeded.trialRunIds[bestTrial]},`))?.split(",") ?? [];
      expect(Number(row[valueCol])).toBe(bestValue);
    });

    it("draws the chart view (parallel coordinates on a canvas, bars, contour, scatter) and remembers its charts after a reload", async () => {
      // The table's default order (newest first) again: the chart shows the newest 100 trials, 20 to 119.
      await page.goto(`${url}/favicon.ico`); // a document of the server's origin, for its localStorage
      await page.evaluate(`localStorage.removeItem(${JSON.stringify(`mlflow-ui:runs:${seeded.studyExperimentId}`)})`);
      await visit("charts", `/experiments/${seeded.studyExperimentId}?view=chart`, "[data-chart-type=parallel] [data-ready=true]");
      await expectStudyParallel(page, "[data-chart-type=parallel] figure.parcoords", studyRuns(seeded, Array.from({ length: 100 }, (_, i) => TRIALS - 1 - i)));
      await page.waitForSelector("[data-chart-type=contour] [data-ready=true]", CHART_WAIT);
      expect(await page.textContent("#charts-view .toolbar")).toContain("100 runs loaded");
      for (const type of ["bar", "scatter"]) await page.waitForSelector(`[data-chart-type=${type}] [data-ready=true]`, CHART_WAIT);
      expect(await page.getAttribute("[data-chart-type=scatter] [data-traces]", "data-traces")).toBe("1");
      const before = await page.$$eval(".chart-card", (c) => c.length);
      // Configure: remove the parallel coordinates, add a line chart (the study's objective has
      // one step per run, read from each run's history: the chart says so); both are remembered.
      await page.click("[data-chart-type=parallel] button:text-is('Remove')");
      await page.selectOption("#add-chart", "line");
      await page.waitForSelector("[data-chart-type=line] p:text-is('value has one value per run: see its bar chart.')", WAIT);
      const scatterX = page.locator("[data-chart-type=scatter] select").first();
      await scatterX.selectOption("params.max_depth");
      await page.waitForSelector("[data-chart-type=scatter] figure[aria-label='metrics.value against params.max_depth'] [data-ready=true]", CHART_WAIT);
      await page.reload();
      await page.waitForSelector("[data-chart-type=contour] [data-ready=true]", CHART_WAIT);
      expect(await scatterX.inputValue()).toBe("params.max_depth");
      const types = await page.$$eval(".chart-card", (cards) => cards.map((c) => c.getAttribute("data-chart-type")));
      expect(types).not.toContain("parallel");
      expect(types.filter((t) => t === "line")).toHaveLength(1);
      expect(types).toHaveLength(before);
    }, CHART_TEST_MS);

    it("shows a run: details, datasets, params, metrics charted only when they have steps, editable description and tags", async () => {
      const ridge = seeded.modelRunIds.Ridge as string;
      await visit("run", `/runs/${ridge}`, "#metric-charts [data-ready=true]");
      expect(await page.getAttribute("#metric-charts", "data-count")).toBe("1"); // only fold_rmse has 5 steps
      expect(await page.getAttribute("#metric-charts .chart-card", "data-metric")).toBe("fold_rmse");
      await page.waitForSelector("#registered-versions", WAIT); // read after the run itself, as its parent and children
      const facts = new Map(await page.$$eval("#run-details dt", (dts) => dts.map((dt) => [dt.textContent ?? "", dt.nextElementSibling?.textContent ?? ""] as [string, string])));
      expect(facts.get("Run ID")).toBe(ridge);
      expect(facts.get("Status")).toBe("FINISHED");
      for (const time of ["Started", "Ended"]) expect(facts.get(time)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(facts.get("Duration")).toBe("4.2s"); // Ridge ran 4,200 ms
      expect(facts.get("Source")).toBe("train");
      expect(facts.get("Git commit")).toBe("f8fd5ab0c0ff");
      expect(facts.get("Datasets")).toBe(`${seeded.dataset.name} (${seeded.dataset.digest}) · ${seeded.dataset.context}`);
      expect(facts.get("Registered models")).toBe("olx-ridge v1@champion");
      expect(await page.$$eval("#params tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)))).toEqual([["alpha", "1.0"], ["cv", "5"], ["model", "Ridge"]]);
      const metricTitles = await page.$$eval("#metrics tbody tr", (rows) => rows.map((r) => [r.querySelector("td")?.textContent, r.querySelector("td.num")?.getAttribute("title")]));
      expect(metricTitles).toContainEqual(["test_rmse", "61200"]);
      await page.click("#run-description .edit");
      await page.fill("#run-description-input", "Baseline with **alpha 1**.");
      await page.click("#run-description button.primary");
      await page.waitForSelector("#run-description-text strong", WAIT);
      expect(await page.textContent("#run-description-text strong")).toBe("alpha 1");
      expect((await client.getRun(ridge)).data.tags.find((t) => t.key === "mlflow.note.content")?.value).toBe("Baseline with **alpha 1**.");
      await page.fill("#run-tags input[name=tag-key]", "reviewed");
      await page.fill("#run-tags input[name=tag-value]", "yes");
      await page.click("#run-tags button[type=submit]");
      await page.waitForSelector("#run-tags tr[data-tag=reviewed]", WAIT);
      expect((await client.getRun(ridge)).data.tags.find((t) => t.key === "reviewed")?.value).toBe("yes");
    }, CHART_TEST_MS);

    it("browses artifacts with previews (text, CSV table, JSON, image, sandboxed HTML) and registers the MLmodel's folder", async () => {
      await expectArtifactPreviews(page, problems);
      await screenshot(page, backendName, "run-mlmodel");
      await page.click("#register-model");
      await page.fill("input[name=model-name]", REGISTERED_FROM_UI);
      await page.click("button[type=submit]:text-is('Register')");
      await page.waitForSelector("#registered", WAIT);
      expect(await page.textContent("#registered")).toBe(`Registered as ${REGISTERED_FROM_UI} version 1.`);
      const version = await client.getModelVersion(REGISTERED_FROM_UI, "1");
      expect(version.runId).toBe(seeded.modelRunIds.Ridge);
      // The new version's page reads its MLmodel from the source the UI registered, on this backend's storage.
      await page.click("#registered a");
      await page.waitForSelector("#mlmodel .signature", WAIT);
      expect(await page.textContent("#version-title")).toBe(`${REGISTERED_FROM_UI} · Version 1`);
      expect(await page.textContent("#mlmodel .signature")).toContain("rooms");
      expect(await page.textContent("#source-run")).toBe(seeded.modelRunIds.Ridge);
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
    });

    it("shows a study's parent run with its children, and a pruned trial under its parent", async () => {
      await visit("run-parent", `/runs/${seeded.parentRunId}`, "#child-runs");
      expect(await page.$$eval("#child-runs a", (links) => links.map((a) => a.textContent))).toEqual(Array.from({ length: 12 }, (_, n) => String(n)));
      expect(await page.textContent("#child-runs")).toContain(`and ${TRIALS - 12} more`);
      expect(seeded.states.get(2)).toBe("PRUNED");
      await page.click("#child-runs a:text-is('2')");
      await page.waitForSelector("#status:text-is('PRUNED')", WAIT);
      await page.waitForSelector(".breadcrumbs a:text-is('study')", WAIT); // the parent is read after the run
      expect(await page.textContent("#run-name")).toBe("2");
      expect(await page.textContent(".breadcrumbs")).toBe(`${seeded.studyName} › study`);
      expect(await page.getAttribute(".breadcrumbs a:text-is('study')", "href")).toBe(`/runs/${seeded.parentRunId}`);
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
    });

    it("escapes run names, shows models and datasets, and compares selected runs: differing params, parallel coordinates, scatter, overlays", async () => {
      await visit("runs-trainer", `/experiments/${seeded.trainerExperimentId}`, "#run-count[data-count='5']");
      expect(await page.textContent("#runs-grid")).toContain(seeded.evilName);
      expect(await page.evaluate("window.__xss")).toBeUndefined();
      const ridgeRow = `.ag-row[row-id='${seeded.modelRunIds.Ridge}']`;
      expect(await page.textContent(`${ridgeRow} [col-id='attributes.Models']`)).toContain("mlflow_demo_ts");
      expect(await page.textContent(`${ridgeRow} [col-id='attributes.Datasets']`)).toBe(`${seeded.dataset.name} (${seeded.dataset.digest})`);
      for (const model of ["Ridge", "KNN"]) await page.click(`.ag-row[row-id='${seeded.modelRunIds[model]}'] .ag-selection-checkbox input`);
      await page.click("#compare-button");
      await page.waitForSelector("#compare-table", WAIT);
      expect(new URL(page.url()).searchParams.get("runs")?.split(",").sort()).toEqual([seeded.modelRunIds.Ridge, seeded.modelRunIds.KNN].sort());
      expect(await page.getAttribute("#compare-table tr[data-param=model]", "class")).toBe("diff");
      expect(await page.getAttribute("#compare-table tr[data-param=cv]", "class")).toBe("");
      const rmse = await page.$$eval("#compare-table tr[data-metric=test_rmse] td", (tds) => tds.map((td) => [td.getAttribute("title"), td.classList.contains("best")]));
      expect(new Set(rmse.map(([t, best]) => `${t}${best ? " best" : ""}`))).toEqual(new Set(["61200 best", "96500"]));
      await page.waitForSelector("#parallel[data-ready=true]", CHART_WAIT);
      await expectTrainerParallel(page, "#parallel");
      await page.waitForSelector("#scatter[data-ready=true]", CHART_WAIT);
      await page.waitForSelector("#overlays [data-metric=fold_rmse] [data-ready=true]", CHART_WAIT);
      expect(await page.getAttribute("#overlays [data-metric=fold_rmse] [data-traces]", "data-traces")).toBe("2");
      await page.waitForLoadState("networkidle");
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, backendName, "compare");
    }, CHART_TEST_MS);

    it("lists and searches registered models; edits a model's description, tags and aliases, and a version's description and stage", async () => {
      await visit("models", "/models", `#models tr[data-model='${REGISTERED_FROM_UI}']`);
      expect(await page.$$eval("#models tbody tr", (rows) => rows.map((r) => r.getAttribute("data-model")))).toEqual([seeded.modelName, REGISTERED_FROM_UI]);
      expect(await page.textContent(`#models tr[data-model='${seeded.modelName}']`)).toContain("@champion: v1");
      expect(await page.textContent(`#models tr[data-model='${seeded.modelName}'] td:nth-child(2)`)).toBe("Version 1");
      await page.fill("#model-search", "-UI");
      await page.click("form[role=search] button[type=submit]");
      await expect.poll(() => page.$$eval("#models tbody tr", (rows) => rows.map((r) => r.getAttribute("data-model"))), WAIT).toEqual([REGISTERED_FROM_UI]);
      await visit("model", `/models/${seeded.modelName}`, "#aliases li[data-alias=champion]");
      expect(await page.textContent("#versions tr[data-version='1'] td:nth-child(3)")).toBe("@champion");
      await page.click("#model-description .edit");
      await page.fill("#model-description-input", "Prices of flats, *OLX* 2022.");
      await page.click("#model-description button.primary");
      await page.waitForSelector("#model-description-text em", WAIT);
      expect((await client.getRegisteredModel(seeded.modelName)).description).toBe("Prices of flats, *OLX* 2022.");
      await page.fill("#alias-form input[name=alias]", "challenger");
      await page.click("#alias-form button[type=submit]");
      await page.waitForSelector("#aliases li[data-alias=challenger]", WAIT);
      expect((await client.getModelVersionByAlias(seeded.modelName, "challenger")).version).toBe("1");
      await page.click("#aliases li[data-alias=challenger] button");
      await page.waitForSelector("#aliases li[data-alias=challenger]", { state: "detached", ...WAIT });
      await page.fill("#model-tags input[name=tag-key]", "task");
      await page.fill("#model-tags input[name=tag-value]", "regression");
      await page.click("#model-tags button[type=submit]");
      await page.waitForSelector("#model-tags tr[data-tag=task]", WAIT);
      expect((await client.getRegisteredModel(seeded.modelName)).tags).toContainEqual({ key: "task", value: "regression" });
      await visit("version", `/models/${seeded.modelName}/versions/1`, "#mlmodel");
      expect(await page.textContent("#version-description strong")).toBe("OLX sample");
      expect(await page.textContent("#version-details")).toContain("@champion");
      expect(await page.textContent("#source-run")).toBe(seeded.modelRunIds.Ridge);
      expect(await page.textContent("#mlmodel .signature")).toContain("rooms");
      await page.click("#version-description .edit");
      await page.fill("#version-description-input", "Ridge, alpha 1, *checked*.");
      await page.click("#version-description button.primary");
      await page.waitForSelector("#version-description-text em", WAIT);
      expect((await client.getModelVersion(seeded.modelName, "1")).description).toBe("Ridge, alpha 1, *checked*.");
      await page.selectOption("#stage-form select", "Staging");
      await page.click("#stage-form button[type=submit]");
      await page.waitForSelector("#stage:text-is('Staging')", WAIT);
      expect((await client.getModelVersion(seeded.modelName, "1")).currentStage).toBe("Staging");
    });

    it("shows new runs in the table and the charts without a reload while they are logged; deletes and restores a run", async () => {
      await visit("runs-live", `/experiments/${seeded.trainerExperimentId}`, "#run-count[data-count='5']");
      const run = await client.createRun(seeded.trainerExperimentId, { runName: "live-run" });
      await client.logBatch(run.info.runId, { metrics: [{ key: "test_rmse", value: 50_000, timestamp: Date.now(), step: 0 }] });
      await page.waitForSelector(".run-link:text-is('live-run')", WAIT);
      expect(await rowCount()).toBe(6);
      await client.setTerminated(run.info.runId, "FINISHED");
      await page.waitForSelector(`.ag-row[row-id='${run.info.runId}'] .status.ok`, WAIT);
      // Delete it from the table, find it under the "Deleted" state filter, restore it.
      await page.click(`.ag-row[row-id='${run.info.runId}'] .ag-selection-checkbox input`);
      await page.click("#delete-runs");
      await page.waitForSelector(`#run-count[data-count='5']`, WAIT);
      expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe("deleted");
      await page.selectOption("#state-filter", "DELETED_ONLY");
      await page.waitForSelector(`#run-count[data-count='1']`, WAIT);
      await page.click(`.ag-row[row-id='${run.info.runId}'] .ag-selection-checkbox input`);
      await page.click("#delete-runs:text-is('Restore (1)')");
      await page.waitForSelector(`#run-count[data-count='0']`, WAIT);
      expect((await client.getRun(run.info.runId)).info.lifecycleStage).toBe("active");
      await page.selectOption("#state-filter", "ACTIVE_ONLY");
      await page.waitForSelector(`#run-count[data-count='6']`, WAIT);
      // The chart view follows the same polling: a run logged while it is open gets its bar.
      await page.click("#tab-chart");
      await page.waitForSelector("[data-chart-type=parallel] [data-ready=true]", CHART_WAIT); // checked in full on the study's chart view
      await page.click("[data-chart-type=parallel] button:text-is('Remove')");
      const bars = page.locator("[data-chart-type=bar]").first();
      await bars.locator("[data-ready=true]").waitFor(CHART_WAIT);
      const metric = await bars.locator("select").inputValue();
      const before = await bars.locator(".barlayer .point").count();
      expect(before).toBeGreaterThan(0);
      const charted = await client.createRun(seeded.trainerExperimentId, { runName: "live-chart" });
      await client.logBatch(charted.info.runId, { metrics: [{ key: metric, value: 55_000, timestamp: Date.now(), step: 0 }] });
      await expect.poll(() => bars.locator(".barlayer .point").count(), WAIT).toBe(before + 1);
      expect(await page.textContent("#charts-view .toolbar")).toContain("7 runs loaded");
      await screenshot(page, backendName, "charts-live");
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
    });

    it("searches the sidebar's experiments and shows several experiments' runs together when ticked", async () => {
      const listed = (): Promise<Array<string | null>> => page.$$eval("#experiment-list li", (els) => els.map((e) => e.getAttribute("data-experiment-id")));
      expect(await listed()).toEqual(expect.arrayContaining([seeded.trainerExperimentId, seeded.studyExperimentId]));
      await page.fill("#experiment-search", "STUDY");
      await expect.poll(listed, WAIT).toEqual([seeded.studyExperimentId]);
      await page.fill("#experiment-search", "");
      await expect.poll(listed, WAIT).toContain(seeded.trainerExperimentId);
      await page.check(`#experiment-list li[data-experiment-id='${seeded.studyExperimentId}'] input[type=checkbox]`);
      await page.waitForSelector("#experiment-title:text-is('olx-simple-trainer + olx-study')", WAIT);
      expect(new URL(page.url()).searchParams.get("ids")?.split(",").sort()).toEqual([seeded.trainerExperimentId, seeded.studyExperimentId].sort());
      await page.waitForSelector("#run-count[data-count='100']", WAIT); // 7 + 121 runs, newest first, one page
      expect(await page.$(`#runs-grid .ag-row[row-id='${seeded.modelRunIds.Ridge}']`)).toBeNull(); // the trainer's runs are older than the study's newest 100
      await page.click("#load-more");
      await page.waitForSelector("#run-count[data-count='128']", WAIT);
    });

    it("manages experiments from the sidebar: create, rename, delete and restore", async () => {
      await page.click("#new-experiment-button");
      await page.fill("#new-experiment", "scratch");
      await page.click(".sidebar form.create button[type=submit]");
      await page.waitForSelector("#experiment-title:text-is('scratch')", WAIT);
      const id = (await client.getExperimentByName("scratch"))?.experimentId as string;
      await page.click(`#experiment-list li[data-experiment-id='${id}'] button[aria-label='Rename scratch']`);
      await page.fill(`#rename-${id}`, "scratch-2");
      await page.click(`#experiment-list li[data-experiment-id='${id}'] form button[type=submit]`);
      await page.waitForSelector(`#experiment-list li[data-experiment-id='${id}'] .name:text-is('scratch-2')`, WAIT);
      await page.click(`#experiment-list li[data-experiment-id='${id}'] button[aria-label='Delete scratch-2']`);
      await page.waitForSelector(`#experiment-list li[data-experiment-id='${id}']`, { state: "detached", ...WAIT });
      expect((await client.getExperiment(id)).lifecycleStage).toBe("deleted");
      await page.check(".show-deleted input");
      await page.click(`#experiment-list li[data-experiment-id='${id}'] button:text-is('Restore')`);
      await page.waitForSelector(`#experiment-list li[data-experiment-id='${id}']`, { state: "detached", ...WAIT });
      expect((await client.getExperiment(id)).lifecycleStage).toBe("active");
    });

    it("shows each user only what they may read, and write actions only where they may write", async () => {
      const asUser = async (username: string): Promise<{ ctx: BrowserContext; p: Page; problems: PageProblems; reset(): void }> => {
        const ctx = await state().browser.newContext({ viewport: { width: 1280, height: 720 }, httpCredentials: { username, password: `${username}-pw` } });
        const w = await watchedPage(ctx);
        return { ctx, p: w.page, problems: w.problems, reset: w.reset };
      };
      const reader = await asUser("reader");
      try {
        await reader.p.goto(`${authUrl}/experiments/${seeded.studyExperimentId}`);
        await reader.p.waitForSelector("#run-count[data-count='100']", WAIT);
        await reader.p.waitForLoadState("networkidle");
        expect(reader.problems.console).toEqual([]);
        expect(reader.problems.failed).toEqual([]);
        const listed = await reader.p.$$eval("#experiment-list li", (els) => els.map((e) => e.getAttribute("data-experiment-id")));
        expect(listed).toContain(seeded.studyExperimentId);
        expect(listed).not.toContain(seeded.trainerExperimentId);
        expect(await reader.p.$("#new-experiment-button")).toBeNull();
        expect(await reader.p.$("#experiment-list button[aria-label^='Delete']")).toBeNull();
        await screenshot(reader.p, backendName, "reader-runs");
        for (const path of [`/experiments/${seeded.trainerExperimentId}`, `/runs/${seeded.modelRunIds.Ridge}`, `/compare?runs=${seeded.modelRunIds.Ridge},${seeded.trialRunIds[0]}`, `/get-artifact?run_uuid=${seeded.modelRunIds.Ridge}&path=reports/notes.txt`]) {
          const r = await reader.p.goto(authUrl + path);
          expect(r?.status(), path).toBe(403);
          expect(await reader.p.textContent("body"), path).not.toContain("Ridge on the OLX sample");
        }
        reader.reset();
        await reader.p.goto(`${authUrl}/runs/${seeded.trialRunIds[0]}`);
        await reader.p.waitForSelector("#run-details", WAIT);
        await reader.p.waitForLoadState("networkidle");
        expect(await reader.p.$("#run-description .edit")).toBeNull();
        expect(await reader.p.$("#run-tags form")).toBeNull();
        await reader.p.goto(`${authUrl}/models/${seeded.modelName}`);
        await reader.p.waitForSelector("#aliases", WAIT);
        await reader.p.waitForLoadState("networkidle");
        expect(await reader.p.$("#model-description .edit")).toBeNull();
        expect(await reader.p.$("#alias-form")).toBeNull();
        expect(reader.problems.console).toEqual([]);
        expect(reader.problems.failed).toEqual([]);
      } finally {
        await reader.ctx.close();
      }
      const writer = await asUser("writer");
      try {
        await writer.p.goto(`${authUrl}/models/${seeded.modelName}`);
        await writer.p.waitForSelector("#alias-form", WAIT);
        expect(await writer.p.$("#model-description .edit")).not.toBeNull();
        expect(await writer.p.textContent("#user")).toBe("writer");
      } finally {
        await writer.ctx.close();
      }
    });

    extras.more?.(state);
  });
}

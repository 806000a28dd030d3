/**
 * The web UI's whole checklist in Chromium against a real server on 127.0.0.1: each page
 * loads with no console error, failed request or serious axe-core violation and is
 * screenshotted; and each interaction of issue 15 is asserted on the DOM (filter with key
 * completion, sort, columns, paging, a parent expanded, grouping, CSV, charts, run page edits
 * and artifact previews, compare, registry edits, live updates, permission-aware pages), with
 * values checked against what the seed logged. One backend (SQLite) runs it all; the others
 * run pageLoadSuite.ts: the same pages, and what differs between backends.
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

/** Extra steps a backend's file adds (the SQLite suite runs the real CLI). */
export interface UiSuiteExtras {
  /** More tests, given the running suite's state. */
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
      // Newest first: trial TRIALS-1 is the first row.
      const last = TRIALS - 1;
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

    it("sorts by a metric on the server, descending then ascending", async () => {
      await page.goto(`${url}/experiments/${seeded.studyExperimentId}`);
      await page.waitForSelector("#run-count[data-count='100']", WAIT);
      const byValue = [...seeded.values.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => String(n));
      await page.click(".ag-header-cell[col-id='metrics.value'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byValue[byValue.length - 1] as string), WAIT);
      expect(await firstNames(5)).toEqual(byValue.slice(-5).reverse());
      await page.click(".ag-header-cell[col-id='metrics.value'] .ag-header-cell-label");
      await page.waitForSelector(firstRowIs(byValue[0] as string), WAIT);
      expect(await firstNames(5)).toEqual(byValue.slice(0, 5));
    });

    it("picks columns (remembered after a reload) and groups runs by a param", async () => {
      await page.click("#columns-button");
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
      const counts = new Map<string, number>();
      for (const n of loaded) counts.set(seeded.maxDepth.get(n) as string, (counts.get(seeded.maxDepth.get(n) as string) ?? 0) + 1);
      const shown = await page.$$eval("#runs-grid .group-row .name-cell", (els) => els.map((e) => `${e.querySelector(".group-label")?.textContent}${e.querySelector(".count")?.textContent}`));
      expect(new Set(shown)).toEqual(new Set([...counts].map(([d, c]) => `max_depth = ${d} (${c})`)));
      await screenshot(page, backendName, "runs-grouped");
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

    it("draws the chart view (parallel coordinates on a canvas, bars, contour, scatter) and remembers an added chart", async () => {
      // The table's default order (newest first) again: the chart shows the newest 100 trials, 20 to 119.
      await page.goto(`${url}/favicon.ico`); // a document of the server's origin, for its localStorage
      await page.evaluate(`localStorage.removeItem(${JSON.stringify(`mlflow-ui:runs:${seeded.studyExperimentId}`)})`);
      await visit("charts", `/experiments/${seeded.studyExperimentId}?view=chart`, "[data-chart-type=parallel] [data-ready=true]");
      await expectStudyParallel(page, "[data-chart-type=parallel] figure.parcoords", studyRuns(seeded, Array.from({ length: 100 }, (_, i) => TRIALS - 1 - i)));
      await page.waitForSelector("[data-chart-type=contour] [data-ready=true]", CHART_WAIT);
      const before = await page.$$eval(".chart-card", (c) => c.length);
      // Configure: remove the parallel coordinates, add a bar chart; both are remembered after a reload.
      await page.click("[data-chart-type=parallel] button:text-is('Remove')");
      await page.selectOption("#add-chart", "bar");
      await expect.poll(() => page.$$eval(".chart-card", (c) => c.length), WAIT).toBe(before);
      await page.reload();
      await page.waitForSelector("[data-chart-type=contour] [data-ready=true]", CHART_WAIT);
      const types = await page.$$eval(".chart-card", (cards) => cards.map((c) => c.getAttribute("data-chart-type")));
      expect(types).not.toContain("parallel");
      expect(types.filter((t) => t === "bar")).toHaveLength(types.length - 2); // the defaults' bars plus the added one, beside contour and scatter
      expect(types).toHaveLength(before);
    }, CHART_TEST_MS);

    it("shows a run: details, metrics charted only when they have steps, editable description and tags", async () => {
      const ridge = seeded.modelRunIds.Ridge as string;
      await visit("run", `/runs/${ridge}`, "#metric-charts [data-ready=true]");
      expect(await page.getAttribute("#metric-charts", "data-count")).toBe("1"); // only fold_rmse has 5 steps
      expect(await page.getAttribute("#metric-charts .chart-card", "data-metric")).toBe("fold_rmse");
      expect(await page.textContent("#run-details")).toContain("f8fd5ab0c0ff");
      expect(await page.textContent("#registered-versions")).toContain("olx-ridge v1");
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

    it("browses artifacts with previews: text, CSV table, JSON, image, sandboxed HTML and MLmodel", async () => {
      await expectArtifactPreviews(page, problems);
      await screenshot(page, backendName, "run-mlmodel");
    });

    it("escapes run names and compares selected runs: differing params, parallel coordinates, overlays", async () => {
      await visit("runs-trainer", `/experiments/${seeded.trainerExperimentId}`, "#run-count[data-count='5']");
      expect(await page.textContent("#runs-grid")).toContain(seeded.evilName);
      expect(await page.evaluate("window.__xss")).toBeUndefined();
      for (const model of ["Ridge", "KNN"]) await page.click(`.ag-row[row-id='${seeded.modelRunIds[model]}'] .ag-selection-checkbox input`);
      await page.click("#compare-button");
      await page.waitForSelector("#compare-table", WAIT);
      expect(new URL(page.url()).searchParams.get("runs")?.split(",").sort()).toEqual([seeded.modelRunIds.Ridge, seeded.modelRunIds.KNN].sort());
      expect(await page.getAttribute("#compare-table tr[data-param=model]", "class")).toBe("diff");
      expect(await page.getAttribute("#compare-table tr[data-param=cv]", "class")).toBe("");
      await page.waitForSelector("#parallel[data-ready=true]", CHART_WAIT);
      await expectTrainerParallel(page, "#parallel");
      await page.waitForSelector("#overlays [data-metric=fold_rmse] [data-ready=true]", CHART_WAIT);
      expect(await page.getAttribute("#overlays [data-metric=fold_rmse] [data-traces]", "data-traces")).toBe("2");
      await page.waitForLoadState("networkidle");
      expect(problems.console).toEqual([]);
      expect(problems.failed).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, backendName, "compare");
    }, CHART_TEST_MS);

    it("lists registered models and edits a model's description and aliases, and a version's stage", async () => {
      await visit("models", "/models", "#models");
      expect(await page.textContent(`#models tr[data-model='${seeded.modelName}']`)).toContain("@champion: v1");
      await visit("model", `/models/${seeded.modelName}`, "#aliases");
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
      await visit("version", `/models/${seeded.modelName}/versions/1`, "#mlmodel");
      expect(await page.textContent("#version-description")).toContain("OLX sample");
      await page.selectOption("#stage-form select", "Staging");
      await page.click("#stage-form button[type=submit]");
      await page.waitForSelector("#stage:text-is('Staging')", WAIT);
      expect((await client.getModelVersion(seeded.modelName, "1")).currentStage).toBe("Staging");
    });

    it("shows new runs without a reload while they are logged", async () => {
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
    });

    it("shows several experiments' runs together when ticked in the sidebar", async () => {
      await page.check(`#experiment-list li[data-experiment-id='${seeded.studyExperimentId}'] input[type=checkbox]`);
      await page.waitForSelector("#experiment-title:text-is('olx-simple-trainer + olx-study')", WAIT);
      expect(new URL(page.url()).searchParams.get("ids")?.split(",").sort()).toEqual([seeded.trainerExperimentId, seeded.studyExperimentId].sort());
      await page.waitForSelector("#run-count[data-count='100']", WAIT); // 6 + 121 runs, newest first, one page
      expect(await page.$(`#runs-grid .ag-row[row-id='${seeded.modelRunIds.Ridge}']`)).toBeNull(); // the trainer's runs are older than the study's newest 100
      await page.click("#load-more");
      await page.waitForSelector("#run-count[data-count='127']", WAIT);
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

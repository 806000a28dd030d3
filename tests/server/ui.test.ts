/**
 * The web UI in headless Chromium (playwright-core, Debian's chromium) against a real
 * server on 127.0.0.1 with a temporary SQLite store: experiments, the runs table with
 * params/metrics columns, filter and sort, the run page's plotly charts and artifact
 * browser, run comparison, and registered models.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startTrackingServer, type RunningServer } from "../../src/server/app";
import { openServerStores, type ServerStores } from "../../src/server/openServerStores";
import { createUiPages } from "../../src/server/ui/pages";
import { RestStore } from "../../src/tracking-rest/restStore";
import { MlflowArtifactsRepository } from "../../src/tracking-rest/mlflowArtifactsRepository";

const CHROMIUM = "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) console.warn(`SKIPPED web UI tests: ${CHROMIUM} is missing`);

describe.skipIf(!existsSync(CHROMIUM))("web UI in headless Chromium", () => {
  let dir: string;
  let stores: ServerStores;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let experimentId: string;
  const runIds: string[] = [];
  const rmse = [3.5, 1.25, 7];
  const evil = `<img src=x onerror="window.__xss=1">`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "server-ui-"));
    stores = await openServerStores(`sqlite:///${join(dir, "db.sqlite")}`, join(dir, "artifacts"), true);
    server = await startTrackingServer(
      { tracking: stores.tracking, registry: stores.registry, artifactsDestination: join(dir, "artifacts"), auth: null, pages: createUiPages() },
      "127.0.0.1",
      0,
    );
    const store = new RestStore(server.url);
    experimentId = await store.createExperiment("olx-prices");
    for (const [i, value] of rmse.entries()) {
      const run = await store.createRun({ experimentId, userId: "ana", startTime: 1_700_000_000_000 + i, tags: [], runName: i === 2 ? evil : `model-${i}` });
      runIds.push(run.info.runId);
      await store.logBatch(run.info.runId, {
        params: [{ key: "alpha", value: String(i + 1) }, { key: "model", value: i % 2 === 0 ? "Ridge" : "Forest" }],
        metrics: [0, 1, 2, 3].map((step) => ({ key: "rmse", value: value + (3 - step), timestamp: 1, step })),
      });
      const repo = new MlflowArtifactsRepository(run.info.artifactUri, server.url);
      const file = join(dir, "notes.txt");
      writeFileSync(file, `notes of run ${i}`);
      await repo.logArtifact(file, "docs");
    }
    await store.createRegisteredModel("olx-model", [], "Ridge on OLX");
    await store.createModelVersion({ name: "olx-model", source: `runs:/${runIds[1]}/model`, runId: runIds[1] });
    await store.setRegisteredModelAlias("olx-model", "champion", "1");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await stores?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("lists experiments and shows runs with params and metrics as columns, escaping names", async () => {
    await page.goto(`${server.url}/`);
    await page.click(`text=olx-prices`);
    await page.waitForSelector("table#runs");
    const headers = await page.$$eval("table#runs th", (ths) => ths.map((th) => th.textContent?.trim()));
    expect(headers).toEqual(expect.arrayContaining(["alpha", "model", "rmse"]));
    expect(await page.$$eval("table#runs tbody tr", (trs) => trs.length)).toBe(3);
    expect(await page.evaluate("window.__xss")).toBeUndefined();
    expect(await page.textContent("table#runs")).toContain(evil);
  });

  it("filters with an MLflow filter string and sorts by a metric column", async () => {
    await page.goto(`${server.url}/experiments/${experimentId}`);
    await page.fill("input[name=filter]", "metrics.rmse < 5 and params.model = 'Ridge'");
    await page.click("button[type=submit]");
    await page.waitForSelector("#run-count");
    const ids = await page.$$eval("table#runs tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-run-id")));
    expect(ids).toEqual([runIds[0]]);
    await page.goto(`${server.url}/experiments/${experimentId}`);
    await page.click("th.metric a");
    await page.waitForSelector("table#runs");
    const sorted = await page.$$eval("table#runs tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-run-id")));
    expect(sorted).toEqual(rmse.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v).map((x) => runIds[x.i]));
    await page.fill("input[name=filter]", "metrics.rmse <");
    await page.click("button[type=submit]");
    expect(await page.textContent("#error")).toContain("Invalid");
  });

  it("draws the metric history with plotly and browses artifacts on the run page", async () => {
    await page.goto(`${server.url}/runs/${runIds[1]}`);
    await page.waitForSelector("#charts[data-ready=true]");
    expect(await page.getAttribute("#charts .chart", "data-points")).toBe("4");
    expect(await page.$$eval("#charts .chart .main-svg", (svgs) => svgs.length)).toBeGreaterThan(0);
    expect(await page.textContent("#params")).toContain("alpha");
    await page.waitForSelector("#artifacts[data-ready=true]");
    await page.click("[data-dir=docs]");
    await page.click("[data-file='docs/notes.txt']");
    await page.waitForSelector("#artifact-preview[data-path='docs/notes.txt']");
    expect(await page.textContent("#artifact-preview")).toBe("notes of run 1");
  });

  it("compares selected runs with parallel coordinates and metric overlays", async () => {
    await page.goto(`${server.url}/experiments/${experimentId}`);
    for (const id of runIds.slice(0, 2)) await page.check(`input[name=compare][value='${id}']`);
    await page.click("#compare-link");
    await page.waitForSelector("#compare[data-ready=true]");
    expect(await page.$$eval("#compare .overlay", (d) => d.length)).toBe(1);
    const traces = await page.evaluate("document.querySelector('#compare .overlay').data.length");
    expect(traces).toBe(2);
    expect(await page.$$eval("#parallel .main-svg", (s) => s.length)).toBeGreaterThan(0);
  });

  it("shows registered models with versions, aliases and descriptions", async () => {
    await page.goto(`${server.url}/models`);
    expect(await page.textContent("table#models")).toContain("@champion → v1");
    await page.click("text=olx-model");
    expect(await page.textContent("#description")).toBe("Ridge on OLX");
    expect(await page.textContent("table#versions")).toContain(runIds[1] as string);
  });
});

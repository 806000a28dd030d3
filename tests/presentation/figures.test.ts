// Every figure of src/tuning/visualization and src/display, drawn by plotly.js in Chromium as the
// slides draw it (plotlyHtml): its title and axis titles are read back from the DOM (plotly.js 4
// draws `{text}` titles and silently drops plain strings), the value axes carry units, no label
// sticks out of the chart (the margins fit the labels), and no text is smaller than 14 px.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { chromiumMissing, launchChromium } from "../../scripts/chromium.mjs";
import { loadOlx } from "../../src/data/olx";
import {
  citiesScatter,
  comparisonChart,
  loadPlotly,
  plotlyHtml,
  priceHistogram,
  pricesByVoivodeship,
  setupDiagram,
  tpePicture,
  type MlflowSetup,
  type ComparedModel,
  type PlotlyChart,
} from "../../src/display";
import {
  createStudy,
  plotContour,
  plotEdf,
  plotIntermediateValues,
  plotOptimizationHistory,
  plotParallelCoordinate,
  plotParamImportances,
  plotSlice,
  RandomSampler,
  TPESampler,
  TrialPruned,
  type Study,
} from "../../src/tuning";

const missing = chromiumMissing();
if (missing !== null) console.warn(`SKIPPED drawing the figures in Chromium: ${missing}`);

/** What a drawn chart shows: its title, each axis's title (by plotly id), and its problems. */
interface Drawn {
  title: string;
  axes: Record<string, string>;
  clipped: string[];
  smallest: number;
}

async function draw(page: Page, figure: PlotlyChart): Promise<Drawn> {
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;width:1200px">${loadPlotly()}${plotlyHtml(figure, { height: 560 })}</body></html>`);
  await page.waitForSelector(".js-plotly-plot .main-svg");
  return (await page.evaluate(READ_CHART)) as Drawn;
}

/** Runs in the page (a string, so this file needs no DOM types): what the drawn chart shows. */
const READ_CHART = `(() => {
  const chart = document.querySelector(".js-plotly-plot");
  const layout = chart._fullLayout;
  const axes = {};
  for (const id of [...(layout._subplots?.xaxis ?? []), ...(layout._subplots?.yaxis ?? [])]) {
    const axis = layout[id.replace(/^x/, "xaxis").replace(/^y/, "yaxis")];
    if (axis !== undefined && typeof axis.matches === "string" && axis.showticklabels === false) continue;
    axes[id] = chart.querySelector("text." + id + "title")?.textContent?.trim() ?? "";
  }
  const box = chart.querySelector("svg.main-svg").getBoundingClientRect();
  const clipped = [];
  let smallest = Infinity;
  for (const t of chart.querySelectorAll("svg text")) {
    const text = t.textContent?.trim() ?? "";
    if (text === "") continue;
    const r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize));
    if (r.left < box.left - 2 || r.right > box.right + 2 || r.top < box.top - 2 || r.bottom > box.bottom + 2) clipped.push(text);
  }
  return { title: chart.querySelector(".gtitle")?.textContent?.trim() ?? "", axes, clipped, smallest };
})()`;

describe.skipIf(missing !== null)("figures drawn in Chromium show their title and axis titles", () => {
  let browser: Browser;
  let page: Page;
  let study: Study;
  let tpeStudy: Study;
  const data = loadOlx();
  const models: ComparedModel[] = [
    { name: "Ridge", testRmse: 95_301, trainRmse: 95_065, testMape: 0.21, trainMape: 0.2, fitTime: 0.03 },
    { name: "RandomForest", testRmse: 68_699, trainRmse: 26_044, testMape: 0.14, trainMape: 0.05, fitTime: 3 },
    { name: "LinearSVR", testRmse: 421_574, trainRmse: 421_600, testMape: 0.98, trainMape: 0.98, fitTime: 0.03 },
    { name: "KNN", testRmse: 96_577, trainRmse: 78_959, testMape: 0.21, trainMape: 0.17, fitTime: 0.07 },
  ];
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    study = await createStudy({ sampler: new RandomSampler({ seed: 3 }) });
    await study.optimize(
      (t) => {
        const eta = t.suggestFloat("eta", 0.001, 0.3);
        const depth = t.suggestInt("max_depth", 5, 10);
        const weight = t.suggestInt("min_child_weight", 1, 100);
        const colsample = t.suggestFloat("colsample_bytree", 0.5, 1);
        for (let round = 0; round < 8; round++) t.report(50_000 + 1e5 * eta * (8 - round) + depth * 100 + weight, round);
        if (t.number % 5 === 4) throw new TrialPruned();
        return 50_000 + 1e5 * eta + depth * 100 + weight + colsample * 10;
      },
      { nTrials: 25 },
    );
    tpeStudy = await createStudy({ sampler: new TPESampler({ seed: 1 }) });
    await tpeStudy.optimize((t) => (t.suggestFloat("eta", 0.001, 0.3) - 0.1) ** 2 * 1e6 + 48_000, { nTrials: 30 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  const RMSE = "CV test RMSE (PLN)";
  const cases: [string, () => PlotlyChart, string, Record<string, string>][] = [
    ["optimization history", () => plotOptimizationHistory(study, { targetName: RMSE }), "Optimization History Plot", { x: "Trial number", y: RMSE }],
    ["intermediate values", () => plotIntermediateValues(study, { stepName: "Boosting round", valueName: RMSE }), "Intermediate Values Plot", { x: "Boosting round", y: RMSE }],
    ["parameter importances", () => plotParamImportances(study, { targetName: "CV test RMSE" }), "Hyperparameter Importances", { x: "Importance for CV test RMSE (sums to 1)", y: "Hyperparameter" }],
    ["slice", () => plotSlice(study, { params: ["eta", "max_depth", "min_child_weight"], targetName: RMSE }), "Slice Plot", { x: "eta", x2: "max_depth", x3: "min_child_weight", y: RMSE }],
    ["contour", () => plotContour(study, { params: ["eta", "max_depth"], targetName: RMSE }), "Contour Plot", { x: "eta", y: "max_depth" }],
    ["EDF", () => plotEdf(study, { targetName: RMSE }), "Empirical Distribution Function Plot", { x: RMSE, y: "Cumulative Probability" }],
    ["parallel coordinates", () => plotParallelCoordinate(study, { targetName: RMSE }), "Parallel Coordinate Plot", {}],
    ["TPE picture", () => tpePicture(tpeStudy.trials, "eta", { targetName: RMSE }), "", { x: "eta", y: RMSE, y2: "density" }],
    ["price histogram", () => priceHistogram(data.frame), "", { x: "price (PLN)", y: "offers (count)" }],
    ["prices by voivodeship", () => pricesByVoivodeship(data.frame), "Prices by voivodeship (whiskers: min and max after cleaning)", { x: "price (PLN)", y: "voivodeship (offers)" }],
    ["cities", () => citiesScatter(data.frame), "", { x: "longitude (degrees east)", y: "latitude (degrees north)" }],
    ["model comparison (log axis)", () => comparisonChart(models), "Mean 5-fold RMSE by model (lower is better)", { x: "model", y: "RMSE (PLN, log scale)" }],
    ["model comparison (linear axis)", () => comparisonChart(models.filter((m) => m.name !== "LinearSVR")), "Mean 5-fold RMSE by model (lower is better)", { x: "model", y: "RMSE (PLN)" }],
  ];

  it.each(cases)("%s", async (_, make, title, axes) => {
    const figure = make();
    const expectedTitle = title !== "" ? title : ((figure.layout as { title?: { text?: string } }).title?.text ?? "");
    const drawn = await draw(page, figure);
    expect(drawn.title).toBe(expectedTitle);
    expect(drawn.title).not.toBe("");
    expect(drawn.axes).toEqual(axes);
    expect(drawn.clipped).toEqual([]);
    expect(drawn.smallest).toBeGreaterThanOrEqual(14);
  }, 60_000);

  it.each<[MlflowSetup]>([["local-files"], ["local-server"], ["remote"]])("the %s setup diagram: every label inside its box, no two labels overlapping", async (setup) => {
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${setupDiagram(setup)}</body></html>`);
    const found = (await page.evaluate(`(() => {
      const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
      const rects = [...document.querySelectorAll("svg rect")].map((r) => r.getBoundingClientRect());
      const texts = [...document.querySelectorAll("svg text")].map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
      const loose = texts.filter((t) => !rects.some((r) => inside(t.box, r))).map((t) => t.text);
      const overlapping = [];
      texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => {
        if (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom) overlapping.push(a.text + " / " + b.text);
      }));
      return { texts: texts.length, loose, overlapping };
    })()`)) as { texts: number; loose: string[]; overlapping: string[] };
    expect(found.texts).toBeGreaterThan(5);
    expect(found.loose).toEqual([]);
    expect(found.overlapping).toEqual([]);
  });

  it("the comparison chart explains its log axis in a note", () => {
    const layout = comparisonChart(models).layout as { annotations: { text: string }[] };
    expect(layout.annotations.map((a) => a.text)).toEqual(["Log scale: LinearSVR's test RMSE is 6× the best one's"]);
    expect((comparisonChart(models.slice(0, 2)).layout as { annotations: unknown[] }).annotations).toEqual([]);
  });
});

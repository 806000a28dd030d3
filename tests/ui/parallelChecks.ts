/**
 * Browser checks of the parallel-coordinates chart (components/ParallelCoordinates.tsx), for
 * any page and backend that shows one: the chart is drawn (lines on a canvas that is not
 * blank, one axis per param and the objective, a summary for screen readers); a mouse drag
 * along an axis selects exactly the runs whose value lies in the dragged range, counted here
 * from what the caller logged; a click on the range clears it; hovering a run's point shows
 * its name. Pixels are turned into values from the axis' own tick marks as the page draws
 * them, never from the chart's code.
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import type { Seeded } from "./seed";

/** A run as the chart should show it: its name and its value on each axis, by the axis' label (null: missing). */
export interface ShownRun {
  readonly name: string;
  readonly values: Readonly<Record<string, number | string | null>>;
}

const WAIT = { timeout: 120_000 };

/** A tick label as a number: `0.05`, `70k`, `1.5M`, `1e-4`. */
export function tickNumber(label: string): number {
  const m = /^(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)([kMG]?)$/.exec(label.trim());
  if (m === null) return NaN;
  return Number(m[1]) * ({ "": 1, k: 1e3, M: 1e6, G: 1e9 }[m[2] as "" | "k" | "M" | "G"]);
}

/** The axis' x on the page, and its ticks' labels with their y on the page (from the tick marks). */
async function axisGeometry(page: Page, root: string, axis: string): Promise<{ x: number; ticks: Array<{ label: string; y: number }> }> {
  const g = `${root} .pc-axis[data-axis='${axis}']`;
  await page.waitForSelector(g, WAIT);
  return page.$eval(g, (el) => {
    const line = el.querySelector(".pc-axis-line")?.getBoundingClientRect();
    const ticks = [...el.querySelectorAll(".pc-tick:not(.pc-missing)")].map((t) => ({ label: t.querySelector("text")?.textContent ?? "", y: t.querySelector("line")?.getBoundingClientRect().top ?? NaN }));
    return { x: line === undefined ? NaN : line.left + line.width / 2, ticks };
  });
}

/** The page y of `value` on a linear axis, from its two outermost ticks; of a category, its tick's y. */
function yOnAxis(ticks: ReadonlyArray<{ label: string; y: number }>, value: number | string): number {
  if (typeof value === "string") {
    const tick = ticks.find((t) => t.label === value);
    if (tick === undefined) throw new Error(`no tick labelled ${value} (ticks: ${ticks.map((t) => t.label).join(", ")})`);
    return tick.y;
  }
  const numeric = ticks.map((t) => ({ v: tickNumber(t.label), y: t.y })).filter((t) => Number.isFinite(t.v));
  if (numeric.length < 2) throw new Error(`fewer than two numeric ticks (ticks: ${ticks.map((t) => t.label).join(", ")})`);
  const lo = numeric.reduce((a, b) => (b.v < a.v ? b : a));
  const hi = numeric.reduce((a, b) => (b.v > a.v ? b : a));
  return lo.y + ((value - lo.v) * (hi.y - lo.y)) / (hi.v - lo.v);
}

/** Painted pixels of the chart's line canvas, and how many of them are blue (selected lines). */
async function canvasPixels(page: Page, root: string): Promise<{ painted: number; blue: number }> {
  return page.$eval(`${root} canvas.pc-lines`, (c) => {
    // (tests are compiled without the DOM's types: the canvas' shape as used here)
    const canvas = c as unknown as { width: number; height: number; getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } };
    const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    let blue = 0;
    for (let i = 0; i < px.length; i += 4) {
      if ((px[i + 3] as number) < 16) continue;
      painted++;
      if ((px[i + 2] as number) > (px[i] as number) + 40) blue++;
    }
    return { painted, blue };
  });
}

/** The count line's text and the figure's selected count. */
async function shownCount(page: Page, root: string): Promise<{ text: string; selected: number }> {
  return { text: ((await page.textContent(`${root} .pc-count`)) ?? "").trim(), selected: Number(await page.getAttribute(root, "data-selected")) };
}

/**
 * Checks the chart at `root` (the figure, e.g. `#parallel`) is drawn with `runs` and with the
 * axes labelled `axes` in that order: its count line, its canvas' summary, its axes, and lines
 * painted in blue.
 */
export async function expectParallelChart(page: Page, root: string, runs: readonly ShownRun[], axes: readonly string[]): Promise<void> {
  await page.waitForSelector(`${root}[data-ready=true]`, WAIT);
  expect(Number(await page.getAttribute(root, "data-runs"))).toBe(runs.length);
  expect(await shownCount(page, root)).toEqual({ text: `${runs.length} run${runs.length === 1 ? "" : "s"}`, selected: runs.length });
  const labels = await page.$$eval(`${root} .pc-label`, (els) => els.map((e) => e.querySelector("title")?.textContent ?? e.textContent ?? ""));
  expect(labels).toEqual(axes);
  const summary = (await page.getAttribute(`${root} canvas.pc-lines`, "aria-label")) ?? "";
  expect(await page.getAttribute(`${root} canvas.pc-lines`, "role")).toBe("img");
  expect(summary).toContain(`${runs.length} run${runs.length === 1 ? "" : "s"} across ${axes.length} axes: `);
  for (const a of axes) expect(summary).toContain(a);
  const { painted, blue } = await canvasPixels(page, root);
  expect(painted).toBeGreaterThan(300 * Math.min(runs.length, 3));
  expect(blue).toBeGreaterThan(painted / 2);
  expect(await page.$(`${root} .pc-lines ~ .pc-svg`)).not.toBeNull();
}

/** A mouse drag from (x, y0) to (x, y1). */
async function drag(page: Page, x: number, y0: number, y1: number): Promise<void> {
  await page.mouse.move(x, y0);
  await page.mouse.down();
  await page.mouse.move(x, (y0 + y1) / 2, { steps: 4 });
  await page.mouse.move(x, y1, { steps: 4 });
  await page.mouse.up();
}

/** Drags along two axes (ids and labels) over numeric ranges and expects the runs inside both (AND) selected; then clears with the button. */
export async function expectTwoBrushes(page: Page, root: string, runs: readonly ShownRun[], first: readonly [string, string, number, number], second: readonly [string, string, number, number]): Promise<number> {
  for (const [axis, , from, to] of [first, second]) {
    const { x, ticks } = await axisGeometry(page, root, axis);
    await drag(page, x, yOnAxis(ticks, from), yOnAxis(ticks, to));
  }
  const within = (r: ShownRun, [, label, from, to]: readonly [string, string, number, number]): boolean => {
    const v = r.values[label];
    return typeof v === "number" && v >= Math.min(from, to) && v <= Math.max(from, to);
  };
  const inside = runs.filter((r) => within(r, first) && within(r, second)).length;
  await expect.poll(() => shownCount(page, root), WAIT).toEqual({ text: `${inside} of ${runs.length} runs selected`, selected: inside });
  await page.click(`${root} .pc-clear`);
  await expect.poll(() => shownCount(page, root), WAIT).toEqual({ text: `${runs.length} runs`, selected: runs.length });
  return inside;
}

/**
 * Drags along the axis `axis` (its id, `params.max_depth`) over `range` (two values, or a
 * category: a few pixels around its tick) and expects exactly the runs whose value on it
 * (by the axis' label `label`) lies in the range to be selected, the others dimmed; then
 * clicks the range and expects every run selected again. Returns the number selected.
 */
export async function expectBrushing(page: Page, root: string, runs: readonly ShownRun[], axis: string, label: string, range: readonly [number, number] | string): Promise<number> {
  const { x, ticks } = await axisGeometry(page, root, axis);
  const [y0, y1] = typeof range === "string" ? [yOnAxis(ticks, range) - 6, yOnAxis(ticks, range) + 6] : [yOnAxis(ticks, range[0]), yOnAxis(ticks, range[1])];
  const inside = runs.filter((r) => {
    const v = r.values[label];
    if (v === null || v === undefined) return false;
    if (typeof range === "string") return v === range;
    return typeof v === "number" && v >= Math.min(...range) && v <= Math.max(...range);
  }).length;
  const before = await canvasPixels(page, root);
  await drag(page, x, y0, y1);
  const want = `${inside} of ${runs.length} runs selected`;
  await expect.poll(() => shownCount(page, root), WAIT).toEqual({ text: want, selected: inside });
  expect(await page.$$(`${root} .pc-axis[data-axis='${axis}'] .pc-brush`)).toHaveLength(1);
  const after = await canvasPixels(page, root);
  if (inside < runs.length) expect(after.blue).toBeLessThan(before.blue); // the others are dimmed, grey
  // A click inside the range removes it.
  await page.mouse.click(x, (y0 + y1) / 2);
  await expect.poll(() => shownCount(page, root), WAIT).toEqual({ text: `${runs.length} runs`, selected: runs.length });
  expect(await page.$$(`${root} .pc-brush`)).toHaveLength(0);
  return inside;
}

/** Hovers `run`'s point on the axis `axis` (id; its value by the axis' label `label`) and expects the tooltip to show its name and values. */
export async function expectHover(page: Page, root: string, run: ShownRun, axis: string, label: string): Promise<void> {
  const { x, ticks } = await axisGeometry(page, root, axis);
  const value = run.values[label];
  if (value === null || value === undefined) throw new Error(`${run.name} has no ${label}`);
  await page.mouse.move(x + 1, yOnAxis(ticks, value));
  await page.waitForSelector(`${root} .pc-tip`, WAIT);
  expect(await page.textContent(`${root} .pc-tip strong`)).toBe(run.name);
  expect(await page.textContent(`${root} .pc-tip`)).toContain(label);
  await page.mouse.move(1, 1);
  await page.waitForSelector(`${root} .pc-tip`, { state: "detached", ...WAIT });
}

/** The study's trials of `numbers` as its chart shows them: those with an objective value (FAIL trials have none). */
export function studyRuns(seeded: Seeded, numbers: Iterable<number>): ShownRun[] {
  return [...numbers].filter((n) => seeded.values.has(n)).map((n) => ({ name: String(n), values: { max_depth: Number(seeded.maxDepth.get(n)), value: seeded.values.get(n) as number } }));
}

/**
 * The study's chart of `runs` (studyRuns): its four axes; a drag over max_depth 6.5-8.5
 * selects the trials of depth 7 or 8; with value's lower half too, those of both; hovering
 * the trial whose value is farthest from the others' names it.
 */
export async function expectStudyParallel(page: Page, root: string, runs: readonly ShownRun[]): Promise<void> {
  await expectParallelChart(page, root, runs, ["eta", "max_depth", "subsample", "value"]);
  const depth78 = await expectBrushing(page, root, runs, "params.max_depth", "max_depth", [6.5, 8.5]);
  expect(depth78).toBeGreaterThan(0);
  expect(depth78).toBeLessThan(runs.length);
  // value's lower part: up to the middle of the widest gap between neighbouring values in its middle third (no run near the edge).
  const values = runs.map((r) => r.values.value as number).sort((a, b) => a - b);
  let cut = Math.floor(values.length / 3);
  for (let k = cut; k < (2 * values.length) / 3; k++) if ((values[k + 1] as number) - (values[k] as number) > (values[cut + 1] as number) - (values[cut] as number)) cut = k;
  const upTo = ((values[cut] as number) + (values[cut + 1] as number)) / 2;
  const both = await expectTwoBrushes(page, root, runs, ["params.max_depth", "max_depth", 6.5, 8.5], ["metrics.value", "value", (values[0] as number) - 1, upTo]);
  expect(both).toBeLessThan(depth78);
  const gap = (r: ShownRun): number => Math.min(...runs.filter((o) => o !== r).map((o) => Math.abs((o.values.value as number) - (r.values.value as number))));
  const isolated = runs.reduce((a, b) => (gap(b) > gap(a) ? b : a));
  await expectHover(page, root, isolated, "metrics.value", "value");
}

/**
 * The trainer's compare chart of Ridge and KNN: alpha (Ridge's only, so KNN's line goes to
 * the missing mark, said in the legend), cv (one value), model (categories) and fold_rmse;
 * a drag around the Ridge tick of model selects Ridge alone.
 */
export async function expectTrainerParallel(page: Page, root: string): Promise<void> {
  const runs: ShownRun[] = [{ name: "Ridge", values: { model: "Ridge" } }, { name: "KNN", values: { model: "KNN" } }];
  await expectParallelChart(page, root, runs, ["alpha", "cv", "model", "fold_rmse"]);
  expect(await page.textContent(`${root} .pc-missing-note`)).toContain("alpha (1 run)");
  expect(await page.$$eval(`${root} .pc-axis[data-axis='params.alpha'] .pc-missing text`, (els) => els.map((e) => e.textContent))).toEqual(["missing"]);
  expect(await page.$$eval(`${root} .pc-axis[data-axis='params.cv'] .pc-tick text`, (els) => els.map((e) => e.textContent))).toEqual(["5"]);
  expect(await page.$$eval(`${root} .pc-axis[data-axis='params.model'] .pc-tick text`, (els) => els.map((e) => e.textContent))).toEqual(["KNN", "Ridge"]);
  expect(await expectBrushing(page, root, runs, "params.model", "model", "Ridge")).toBe(1);
}

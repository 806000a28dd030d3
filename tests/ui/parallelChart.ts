/**
 * Every assertion the UI tests make on a parallel-coordinates chart, in one place: the chart's
 * implementation is being replaced (plotly's WebGL `parcoords` by a chart without WebGL), so
 * the tests only rely on what stays: its container, visible, and the `data-ready` mark of a
 * drawn chart.
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import { CHART_WAIT, WAIT } from "./uiHarness";

/**
 * How far a suite follows a parallel-coordinates chart: "drawn" waits until it is drawn (one
 * backend does, the chart is the same bundle on all); "placed" checks its container is on the
 * page and stops there (on software WebGL each drawing costs seconds, and what the backend
 * answered is asserted by the page's other parts).
 */
export type ParallelCheck = "drawn" | "placed";

/** A selector that matches once the parallel-coordinates chart in `container` is drawn (for a page's `visit` whose screenshot must show it). */
export function drawnParallel(container: string): string {
  return `${container}[data-ready=true], ${container} [data-ready=true]`;
}

/** Asserts the parallel-coordinates chart whose container `container` selects (the chart card, or the plot's own element). */
export async function expectParallelCoordinates(page: Page, container: string, check: ParallelCheck): Promise<void> {
  await page.waitForSelector(container, { state: "visible", ...WAIT });
  if (check === "drawn") await page.waitForSelector(drawnParallel(container), CHART_WAIT);
  expect(await page.textContent(container)).not.toContain("WebGL is not supported");
}

/**
 * The artifact browser's previews, checked on the seeded Ridge run's page against what the
 * seed logged: text, a CSV as a table, JSON, an image, HTML in a sandbox (whose script must
 * not run) and the `MLmodel` with its flavors, signature and "Register model". Every backend
 * runs it: the bytes come from its own artifact storage (a FileStore's folder, a proxied
 * folder, S3).
 */
import { expect } from "vitest";
import type { Page } from "playwright-core";
import type { PageProblems } from "./browser";
import { WAIT } from "./uiHarness";

/** Opens each of the Ridge run's artifacts in the browser of the run page `page` shows. */
export async function expectArtifactPreviews(page: Page, problems: PageProblems): Promise<void> {
  await page.click("[data-dir=reports]");
  await page.click("[data-file='reports/notes.txt']");
  await page.waitForSelector("#artifact-preview[data-path='reports/notes.txt'] #artifact-text", WAIT);
  expect(await page.textContent("#artifact-text")).toBe("Ridge on the OLX sample.\nalpha = 1.0\n");
  await page.click("[data-file='reports/predictions.csv']");
  await page.waitForSelector("#csv-preview", WAIT);
  expect(await page.$$eval("#csv-preview tbody tr", (r) => r.length)).toBe(2);
  expect(await page.textContent("#csv-preview tbody tr td:nth-child(3)")).toBe("620,000");
  await page.click("[data-file='reports/metrics.json']");
  await page.waitForSelector("[data-preview=json]", WAIT);
  expect(JSON.parse((await page.textContent("#artifact-text")) as string)).toEqual({ rmse: 61200, mae: 47736, folds: [1, 2, 3, 4, 5] });
  await page.click("[data-file='reports/residuals.png']");
  await expect.poll(() => page.$eval("[data-preview=image] img", (img) => (img as unknown as { naturalWidth: number }).naturalWidth), WAIT).toBe(4);
  await page.click("[data-file='reports/report.html']");
  const frame = await (await page.waitForSelector("[data-preview=html] iframe", WAIT)).contentFrame();
  await frame?.waitForSelector("h1", WAIT);
  expect(await frame?.textContent("h1")).toBe("Residuals");
  expect(await page.evaluate("window.__framed")).toBeUndefined(); // the artifact's script did not reach the UI
  // ... nor ran at all: the browser says so, the one console error this page may show.
  await expect.poll(() => problems.console.filter((m) => m.startsWith("Blocked script execution") && m.includes("/get-artifact?path=reports%2Freport.html")).length, WAIT).toBe(1);
  problems.console.splice(0, problems.console.length, ...problems.console.filter((m) => !m.startsWith("Blocked script execution")));
  await page.click("[data-dir=model]");
  await page.waitForSelector("#mlmodel", WAIT);
  expect(await page.textContent("#mlmodel .flavors")).toContain("mlflow_demo_ts");
  expect(await page.$$eval("#mlmodel .signature caption", (c) => c.map((x) => x.textContent))).toEqual(["Inputs", "Outputs"]);
  expect(await page.textContent("#mlmodel .signature")).toContain("rooms");
  expect(await page.$("#register-model")).not.toBeNull();
  expect(problems.console).toEqual([]);
  expect(problems.failed).toEqual([]);
}

// Screenshots of the tracking UI for the slides: starts our tracking server (dist/) over the
// store the notebooks wrote (or uses the server MLFLOW_TRACKING_URI names), opens each page of
// scripts/ui-pages.mjs in Chromium and saves NAME.png.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { absoluteTrackingUri, ROOT } from "./presentation-tools.mjs";
import { UI_PAGES } from "./ui-pages.mjs";

const require = createRequire(import.meta.url);

/** The tracking store the notebooks write to: MLFLOW_TRACKING_URI, else ./mlruns (as the notebooks decide). */
export function notebooksTrackingUri(env = process.env) {
  return absoluteTrackingUri(env.MLFLOW_TRACKING_URI) ?? join(ROOT, "mlruns");
}

/**
 * The browser window the pages are shot in (CSS pixels). About the width a slide gives the
 * image, so the UI's 13-14 px text stays that size on the slide instead of shrinking; shot at
 * twice the pixels so it stays sharp on a projector.
 */
const VIEWPORT = { width: 1024, height: 500 };

/** What ui-pages.mjs's paths may ask of the store, read through the library's client. */
function storeQueries(client) {
  return {
    async experimentId(name) {
      const experiment = await client.getExperimentByName(name);
      if (experiment === null) throw new Error(`ui screenshots: the store has no experiment "${name}" (did the notebooks run?)`);
      return experiment.experimentId;
    },
    async latestStudyRunIds(name) {
      const id = await this.experimentId(name);
      const runs = await client.searchAllRuns([id], { orderBy: ["attributes.start_time DESC"] });
      const first = runs.find((r) => r.info.runName === "0");
      if (first === undefined) throw new Error(`ui screenshots: experiment "${name}" has no trial run named "0"`);
      return runs.filter((r) => r.info.startTime >= first.info.startTime && /^\d+$/.test(r.info.runName)).map((r) => r.info.runId).reverse();
    },
  };
}

/** Starts our server over a local store (a folder or sqlite:/// URI) on a free port; returns {url, close}. */
async function startLocalServer(trackingUri) {
  const server = require(join(ROOT, "dist", "server"));
  const backend = /^[a-z]+:/i.test(trackingUri) && !trackingUri.startsWith("file:") ? trackingUri : resolve(trackingUri.replace(/^file:\/\//, ""));
  const stores = await server.openServerStores(backend, backend, false);
  const running = await server.startTrackingServer(
    { tracking: stores.tracking, registry: stores.registry, artifactsDestination: null, localArtifactRoot: null, auth: null, pages: server.createUiPages() },
    "127.0.0.1",
    0,
  );
  return {
    url: running.url,
    close: async () => {
      await running.close();
      await stores.close();
    },
  };
}

/**
 * Shoots every page of UI_PAGES from the store at `trackingUri` into `outDir` (NAME.png, a
 * {@link VIEWPORT} page, or the page's own viewport, at twice the pixels); returns {shots: [{name, file, url}], failures: [message]}: a page that does not
 * render (e.g. a notebook that failed logged nothing for it) is a failure naming the page, and
 * the other pages are still shot.
 */
export async function shootUiPages(browser, { trackingUri = notebooksTrackingUri(), outDir }) {
  mkdirSync(outDir, { recursive: true });
  const lib = require(join(ROOT, "dist"));
  const remote = /^https?:/i.test(trackingUri);
  const server = remote ? { url: trackingUri.replace(/\/$/, ""), close: async () => {} } : await startLocalServer(trackingUri);
  const store = storeQueries(new lib.MlflowClient(trackingUri));
  const shots = [];
  const failures = [];
  try {
    for (const spec of UI_PAGES) {
      // A page (and so a browser context, with its own localStorage) per shot: one page's
      // table settings never leak into the next.
      const viewport = spec.viewport ?? VIEWPORT;
      const page = await browser.newPage({ viewport, deviceScaleFactor: 2 });
      try {
        const storage = spec.localStorage === undefined ? {} : await spec.localStorage(store);
        if (Object.keys(storage).length > 0) {
          await page.addInitScript((entries) => {
            for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, value);
          }, storage);
        }
        shots.push(await shoot(page, spec, server.url + (await spec.path(store)), outDir, viewport));
      } catch (e) {
        failures.push(`ui screenshots: ${spec.name}: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await server.close();
  }
  return { shots, failures };
}

async function shoot(page, spec, url, outDir, viewport) {
  const response = await page.goto(url, { waitUntil: "networkidle" });
  if (response === null || !response.ok()) throw new Error(`${url} answered ${response?.status() ?? "nothing"}`);
  if (spec.waitFor !== undefined) await page.waitForSelector(spec.waitFor, { state: "visible", timeout: 60_000 });
  if (spec.prepare !== undefined) await spec.prepare(page);
  const file = join(outDir, `${spec.name}.png`);
  if (spec.selector !== undefined) await page.locator(spec.selector).first().screenshot({ path: file });
  else {
    // The viewport, cut to the page's content when it is shorter.
    const bottom = await page.evaluate("Math.max(...[...document.body.querySelectorAll('*')].map((e) => e.getBoundingClientRect().bottom))");
    const height = Math.min(viewport.height, Math.ceil(bottom) + 16);
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: viewport.width, height } });
  }
  return { name: spec.name, file, url };
}

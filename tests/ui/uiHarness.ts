/**
 * What every web UI suite shares: one backend, one seeded store and one server per test
 * file (plus a second server with auth when the suite checks permissions), one Chromium,
 * and `visit`, which loads a page and checks it: no console error, no failed request (and,
 * where the suite asks, no serious axe-core violation), then screenshots it.
 */
import { afterAll, beforeAll, expect } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTrackingServer, type RunningServer, type TrackingServerOptions } from "../../src/server/app";
import type { AuthConfig } from "../../src/server/auth";
import type { RegistryStore } from "../../src/tracking/store/registryStore";
import type { TrackingStore } from "../../src/tracking/store/trackingStore";
import { createUiPages } from "../../src/server/ui/pages";
import { MlflowClient } from "../../src/tracking/client";
import { registerRestStores } from "../../src/tracking-rest/register";
import { launch, screenshot, seriousViolations, watchedPage, type PageProblems } from "./browser";
import { seedStore, type Seeded } from "./seed";

/** A backend under test: its stores, and where the seed logs (the server's URL, or the FileStore's folder). */
export interface UiBackend {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  /** Proxied artifacts of the server: a folder or `s3://bucket/prefix`. */
  readonly artifactsDestination: string;
  /** The root of direct (not proxied) artifact URIs the server reads (default: the destination). */
  readonly directArtifactRoot?: string;
  /** A FileStore's own folder, served as the CLI serves it. */
  readonly storeArtifactRoot: string | null;
  /** Log the seed through the server (SQL stores) or straight into this FileStore folder. */
  readonly seedTarget: "server" | string;
  close(): Promise<void>;
}

/** How a suite uses its server. */
export interface HarnessOptions {
  /** Check each visited page with axe-core too. */
  readonly axe: boolean;
  /** Start a second server with auth (users `reader` and `writer`). */
  readonly withAuth: boolean;
}

/** What a suite's tests share. */
export interface SuiteState {
  readonly url: string;
  /** The server with auth on (only when the suite asked for it). */
  readonly authUrl: string;
  readonly browser: Browser;
  readonly page: Page;
  readonly problems: PageProblems;
  readonly seeded: Seeded;
  readonly client: MlflowClient;
  /** Visits `path`, waits for `ready`, checks console and requests (and axe), and screenshots as `name`. */
  visit(name: string, path: string, ready: string): Promise<void>;
}

/** Time allowed to wait for an element. */
export const WAIT = { timeout: 60_000 };
/** Charts wait for plotly (a 5 MB chunk) and draw on the main thread: on a loaded machine the first one takes long. */
export const CHART_WAIT = { timeout: 120_000 };
/** Time allowed to a test that draws charts. */
export const CHART_TEST_MS = 300_000;

/** A selector that matches once the first row of the runs table is the run named `name`. */
export function firstRowIs(name: string): string {
  return `#runs-grid .ag-row[row-index='0'] .run-link:text-is(${JSON.stringify(name)})`;
}

/**
 * Opens the backend, starts its server(s), seeds the store and launches Chromium before the
 * file's tests (closing all after them); returns the state's getter for the tests.
 */
export function useUiServer(backendName: string, open: () => Promise<UiBackend>, options: HarnessOptions): () => SuiteState {
  let backend: UiBackend | undefined;
  let server: RunningServer | undefined;
  let authServer: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let reset: () => void;
  let seeded: Seeded;
  let client: MlflowClient;

  const visit = async (name: string, path: string, ready: string): Promise<void> => {
    reset();
    await page.goto((server as RunningServer).url + path);
    await page.waitForSelector(ready, ready.includes("data-ready") ? CHART_WAIT : WAIT);
    await page.waitForLoadState("networkidle");
    expect(problems.console, `console errors on ${path}`).toEqual([]);
    expect(problems.failed, `failed requests on ${path}`).toEqual([]);
    if (options.axe) expect(await seriousViolations(page), `axe-core on ${path}`).toEqual([]);
    await screenshot(page, backendName, name);
  };

  beforeAll(async () => {
    backend = await open();
    registerRestStores();
    const serverOptions: Omit<TrackingServerOptions, "auth"> = {
      tracking: backend.tracking,
      registry: backend.registry,
      artifactsDestination: backend.artifactsDestination,
      ...(backend.directArtifactRoot === undefined ? {} : { directArtifactRoot: backend.directArtifactRoot }),
      storeArtifactRoot: backend.storeArtifactRoot,
      pages: createUiPages(),
    };
    server = await startTrackingServer({ ...serverOptions, auth: null }, "127.0.0.1", 0);
    client = new MlflowClient(backend.seedTarget === "server" ? server.url : backend.seedTarget);
    seeded = await seedStore(client);
    if (options.withAuth) {
      const auth: AuthConfig = {
        users: [
          { username: "reader", password: "reader-pw", permissions: { "*": "READ", [seeded.trainerExperimentId]: "NO_PERMISSIONS" } },
          { username: "writer", password: "writer-pw", permissions: { "*": "WRITE" } },
        ],
      };
      authServer = await startTrackingServer({ ...serverOptions, auth }, "127.0.0.1", 0);
    }
    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    ({ page, problems, reset } = await watchedPage(context));
    page.on("dialog", (d) => void d.accept());
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await authServer?.close();
    await server?.close();
    await backend?.close();
  });

  return () => ({
    url: (server as RunningServer).url,
    get authUrl(): string {
      if (authServer === undefined) throw new Error("this suite runs no server with auth");
      return authServer.url;
    },
    browser: browser as Browser,
    page,
    problems,
    seeded,
    client,
    visit,
  });
}

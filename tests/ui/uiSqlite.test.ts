/**
 * The web UI's whole checklist on a SQLite store, with the real CLI: `tune` runs once against
 * the server while the study's (empty) table is open, whose trials must appear without a
 * reload; then its study, final model and champion alias are what the talk shows.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { openServerStores } from "../../src/server/openServerStores";
import { CHROMIUM, screenshot } from "./browser";
import { drawnParallel } from "./parallelChart";
import { CHART_TEST_MS } from "./uiHarness";
import { defineUiSuite } from "./uiSuite";

const ROOT = resolve(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "mlflow-demo-ts.js");
const STUDY = "godel_cozy_ds-hyper_opt";

/** Runs `mlflow-demo-ts tune` (built CLI) against `url`; resolves with its output. */
function tune(url: string, trials: number): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, "tune", "--trials", String(trials), "--rounds", "30"], { cwd: ROOT, env: { ...process.env, MLFLOW_TRACKING_URI: url }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => (code === 0 ? done(out) : fail(new Error(`tune exited with ${code}:\n${out}`))));
  });
}

if (!existsSync(CHROMIUM)) {
  console.log(`SKIPPED web UI on SQLite: ${CHROMIUM} is missing`);
  describe.skip("web UI on SQLite", () => it("needs Chromium", () => undefined));
} else {
  defineUiSuite(
    "sqlite",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "ui-sqlite-"));
      const stores = await openServerStores(`sqlite:///${join(dir, "mlruns.db")}`, join(dir, "artifacts"), true);
      return { ...stores, artifactsDestination: join(dir, "artifacts"), storeArtifactRoot: null, seedTarget: "server", close: async () => { await stores.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
    {
      more: (state) => {
        it("adds tune's trials to the open study table while tune runs, without a reload", async () => {
          const s = state();
          if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) throw new Error("dist/ is not built: run `npm run build` first");
          // The presenter's study page is open (empty) before tune starts; tune logs into the experiment of that name.
          await s.client.createExperiment(STUDY);
          await s.visit("talk-runs-live-before", `/experiments?name=${STUDY}`, "#run-count[data-count='0']");
          const running = tune(s.url, 6);
          await expect.poll(async () => Number(await s.page.getAttribute("#run-count", "data-count")), { timeout: 120_000, interval: 250 }).toBeGreaterThan(0);
          await screenshot(s.page, "sqlite", "talk-runs-live-during");
          await running;
          await s.page.waitForSelector("#run-count[data-count='7']", { timeout: 20_000 });
          expect(s.problems.console).toEqual([]);
          expect(s.problems.failed).toEqual([]);
        }, CHART_TEST_MS);

        it("shows the CLI's tuning study, its parallel coordinates and the champion (the talk's pages)", async () => {
          const s = state();
          await s.visit("talk-runs", `/experiments?name=${STUDY}`, "#run-count[data-count='7']");
          await s.visit("talk-compare", `/compare?experiment=${STUDY}`, drawnParallel("#parallel"));
          expect(await s.page.textContent("h1")).toBe(`Comparing 7 runs of ${STUDY}`);
          await s.visit("talk-model", "/models/house_pricing_xgboost_model", "#aliases li[data-alias=champion]");
          expect(await s.page.$$eval("#versions tbody tr", (r) => r.length)).toBe(1);
        }, CHART_TEST_MS);
      },
    },
  );
}

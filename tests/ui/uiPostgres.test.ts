/**
 * The web UI's whole checklist on the remote setup: runs in PostgreSQL (a throwaway cluster from
 * tests/server/postgres.ts) and artifacts in S3 (s3rver on the loopback). The seed's
 * artifacts go through the server's proxy to `s3://ui-artifacts/proxied`; a run whose
 * experiment lives under the server's direct root `s3://ui-artifacts/direct` is written by
 * the client straight to S3, as with `--no-serve-artifacts --default-artifact-root s3://...`.
 * The UI previews both.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openServerStores } from "../../src/server/openServerStores";
import { S3ObjectStore } from "../../src/tracking/artifacts/s3ObjectStore";
import { s3SettingsFromEnv } from "../../src/tracking/artifacts/s3Settings";
import { Stack, stackUnavailable } from "../../scripts/remote-stack.mjs";
import { postgresUnavailable, startTempPostgres } from "../server/postgres";
import { CHROMIUM, screenshot } from "./browser";
import { WAIT } from "./uiHarness";
import { defineUiSuite } from "./uiSuite";

const reason = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : (postgresUnavailable() ?? stackUnavailable());
if (reason !== null) {
  console.log(`SKIPPED web UI on PostgreSQL and S3: ${reason}`);
  describe.skip("web UI on PostgreSQL and S3", () => it("needs Chromium, PostgreSQL and s3rver", () => undefined));
} else {
  defineUiSuite(
    "postgres",
    async () => {
      const stack = new Stack({ log: null });
      const s3 = await stack.s3(["ui-artifacts"]);
      Object.assign(process.env, s3.env); // the server's S3 storage and the client's S3 repository
      const pg = await startTempPostgres();
      const stores = await openServerStores(pg.createDatabase("ui"), "s3://ui-artifacts/proxied", true);
      return {
        ...stores,
        artifactsDestination: "s3://ui-artifacts/proxied",
        directArtifactRoot: "s3://ui-artifacts/direct",
        storeArtifactRoot: null,
        seedTarget: "server",
        close: async () => {
          await stores.close();
          pg.stop();
          await stack.stop();
        },
      };
    },
    {
      more: (state) => {
        it("previews artifacts a client wrote straight to S3 under the server's direct root (the proxied ones sit in S3 too)", async () => {
          const { page, problems, client, seeded, visit } = state();
          const bucket = new S3ObjectStore("ui-artifacts", s3SettingsFromEnv());
          const ridge = seeded.modelRunIds.Ridge as string;
          expect(await bucket.exists(`proxied/${seeded.trainerExperimentId}/${ridge}/artifacts/reports/notes.txt`)).toBe(true);
          const experimentId = await client.createExperiment("olx-direct-s3", { artifactLocation: "s3://ui-artifacts/direct/olx-direct-s3" });
          const run = await client.createRun(experimentId, { runName: "direct" });
          expect(run.info.artifactUri).toBe(`s3://ui-artifacts/direct/olx-direct-s3/${run.info.runId}/artifacts`);
          const dir = mkdtempSync(join(tmpdir(), "ui-direct-"));
          try {
            writeFileSync(join(dir, "notes.txt"), "written straight to S3\n");
            writeFileSync(join(dir, "table.csv"), "a,b\n1,2\n3,4\n5,6\n");
            await client.logArtifact(run.info.runId, join(dir, "notes.txt"));
            await client.logArtifact(run.info.runId, join(dir, "table.csv"), "tables");
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          await client.setTerminated(run.info.runId, "FINISHED");
          expect(await bucket.exists(`direct/olx-direct-s3/${run.info.runId}/artifacts/tables/table.csv`)).toBe(true);
          await visit("run-direct-s3", `/runs/${run.info.runId}`, "[data-file='notes.txt']");
          await page.click("[data-file='notes.txt']");
          await page.waitForSelector("#artifact-preview[data-path='notes.txt'] #artifact-text", WAIT);
          expect(await page.textContent("#artifact-text")).toBe("written straight to S3\n");
          await page.click("[data-dir=tables]");
          await page.click("[data-file='tables/table.csv']");
          await page.waitForSelector("#csv-preview", WAIT);
          expect(await page.$$eval("#csv-preview tbody tr", (r) => r.length)).toBe(3);
          await page.locator("#csv-preview").scrollIntoViewIfNeeded();
          await screenshot(page, "postgres", "run-direct-s3-csv");
          expect(problems.console).toEqual([]);
          expect(problems.failed).toEqual([]);
        });
      },
    },
  );
}

/** The web UI on PostgreSQL (a throwaway cluster from tests/server/postgres.ts). */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { openServerStores } from "../../src/server/openServerStores";
import { postgresUnavailable, startTempPostgres } from "../server/postgres";
import { CHROMIUM } from "./browser";
import { defineUiSuite } from "./uiSuite";

const reason = !existsSync(CHROMIUM) ? `${CHROMIUM} is missing` : postgresUnavailable();
if (reason !== null) {
  console.log(`SKIPPED web UI on PostgreSQL: ${reason}`);
  describe.skip("web UI on PostgreSQL", () => it("needs Chromium and PostgreSQL", () => undefined));
} else {
  defineUiSuite("postgres", async () => {
    const pg = await startTempPostgres();
    const dir = mkdtempSync(join(tmpdir(), "ui-postgres-"));
    const stores = await openServerStores(pg.createDatabase("ui"), join(dir, "artifacts"), true);
    return {
      ...stores,
      artifactsDestination: join(dir, "artifacts"),
      storeArtifactRoot: null,
      seedTarget: "server",
      close: async () => {
        await stores.close();
        pg.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });
}

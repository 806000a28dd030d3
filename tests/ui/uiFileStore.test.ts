/**
 * The web UI's whole checklist on a FileStore (`server --backend-store-uri ./mlruns`): the
 * seed is logged straight into the store's folder, so runs keep `file:` artifact URIs inside
 * `mlruns/`, and the server (whose proxied-artifact folder is elsewhere, as the CLI's default)
 * must still list and preview them: no `--artifacts-destination mlruns` needed. The client
 * the suite reads back with (and logs live runs with) writes the folder itself, as a training
 * script beside `mlflow server` does.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "vitest";
import { openServerStores } from "../../src/server/openServerStores";
import { CHROMIUM } from "./browser";
import { defineUiSuite } from "./uiSuite";

if (!existsSync(CHROMIUM)) {
  console.log(`SKIPPED web UI on a FileStore: ${CHROMIUM} is missing`);
  describe.skip("web UI on a FileStore", () => it("needs Chromium", () => undefined));
} else {
  defineUiSuite(
    "filestore",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "ui-filestore-"));
      const stores = await openServerStores(join(dir, "mlruns"), join(dir, "mlartifacts"), true);
      return {
        ...stores,
        artifactsDestination: join(dir, "mlartifacts"),
        storeArtifactRoot: stores.fileStoreRoot,
        seedTarget: join(dir, "mlruns"),
        close: async () => {
          await stores.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  );
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore } from "../../src/tracking/store/fileStore";
import { FileRegistryStore } from "../../src/tracking/store/fileRegistryStore";
import { defineStoreSuite } from "./storeSuite";

defineStoreSuite("FileStore", async () => {
  const dir = mkdtempSync(join(tmpdir(), "filestore-suite-"));
  const tracking = new FileStore(join(dir, "mlruns"));
  return {
    tracking,
    registry: new FileRegistryStore(join(dir, "mlruns")),
    rules: "file",
    cleanup: async () => {
      tracking.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

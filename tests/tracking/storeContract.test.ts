import { join } from "node:path";
import { FileRegistryStore, FileStore } from "../../src/tracking";
import { tempDir } from "./helpers";
import { storeContract } from "./storeContract";

storeContract("FileStore", async () => {
  const tmp = tempDir();
  const root = join(tmp.dir, "mlruns");
  return { tracking: new FileStore(root), registry: new FileRegistryStore(root), cleanup: tmp.cleanup };
});

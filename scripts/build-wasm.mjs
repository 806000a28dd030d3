// Compiles the booster's WebAssembly kernels (src/models/boosting/wasm/kernels.as.ts, AssemblyScript)
// into dist/models/boosting/wasm/kernels.wasm. Run by `npm run build` after tsc.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "src", "models", "boosting", "wasm", "kernels.as.ts");
const out = join(root, "dist", "models", "boosting", "wasm", "kernels.wasm");
mkdirSync(dirname(out), { recursive: true });
const { error, stderr } = await asc.main([
  source, "--outFile", out,
  "-O3", "--noAssert", "--runtime", "stub",
  // The engine owns the memory: imported, shared with the worker threads, growable to 4 GiB.
  "--importMemory", "--sharedMemory", "--initialMemory", "1", "--maximumMemory", "65536", "--enable", "threads",
]);
if (error) {
  console.error(stderr.toString());
  console.error(`build-wasm: ${error.message}`);
  process.exit(1);
}

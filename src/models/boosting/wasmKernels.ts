import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * The booster's WebAssembly kernels (wasm/kernels.as.ts, compiled by `npm run build`): every
 * argument is a byte offset into the shared memory the instance imports, or a count.
 */
export interface KernelExports {
  unitHessians(gpair: number, n: number): number;
  addHistogram(into: number, from: number, bins: number): void;
  subtractHistogram(out: number, parent: number, built: number, bins: number): void;
  fillImplicitBins(hist: number, cutPtrs: number, implicitBin: number, cols: number, totalG: number, totalH: number): void;
  interleaveGradients(grad: number, hess: number, gpair: number, n: number): void;
  buildRoot(hist: number, idx: number, node: number, begin: number, end: number, gpair: number, grad: number, preds: number, label: number,
    squaredError: number, entries: number, wide: number, rowPtr: number, bins: number, counts: number, sums: number): void;
  partitionNode(idx: number, tmp: number, colBins: number, rows: number, parent: number, left: number, right: number,
    f: number, splitBin: number, missingLeft: number): void;
  buildNode(hist: number, idx: number, node: number, gpair: number, grad: number, unitHessian: number, entries: number,
    wide: number, rowPtr: number, bins: number): void;
  addNodeLeafValue(preds: number, idx: number, node: number, value: number): void;
  addNodeSplitLeafValues(preds: number, idx: number, colBins: number, rows: number, node: number, f: number,
    splitBin: number, missingLeft: number, left: number, right: number): void;
  evaluateNode(hist: number, features: number, n: number, cutPtrs: number, cutValues: number, minValues: number,
    hasMissing: number, G: number, H: number, rootGain: number, params: number, cand: number): void;
}

/** The parts of the WebAssembly JavaScript API used here (Node's lib types do not declare it). */
export interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly _brand: "WasmModule";
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;
/** The kernels' memory may grow to 4 GiB (wasm32's limit). */
const MAX_PAGES = 65536;

/**
 * Where the compiled kernels are: beside this file once built (dist/), or in dist/ when this
 * file runs from source (tests), provided the build is not older than the kernel source.
 */
export function kernelPath(): string {
  const beside = join(__dirname, "wasm", "kernels.wasm");
  if (existsSync(beside)) return beside;
  const built = join(__dirname, "..", "..", "..", "dist", "models", "boosting", "wasm", "kernels.wasm");
  const source = join(__dirname, "wasm", "kernels.as.ts");
  if (!existsSync(built)) throw new Error(`boosting: the compiled kernels ${built} are missing: run \`npm run build\``);
  if (existsSync(source) && statSync(source).mtimeMs > statSync(built).mtimeMs) {
    throw new Error(`boosting: ${built} is older than ${source}: run \`npm run build\``);
  }
  return built;
}

let compiled: WasmModule | null = null;

/** The compiled kernel module (compiled once per thread). */
export function kernelModule(): WasmModule {
  compiled ??= new wasm.Module(readFileSync(kernelPath()));
  return compiled;
}

/** A new shared memory of `pages` pages for the kernels. */
export function newKernelMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

/** Instantiates the kernels on `memory` (`module` defaults to this thread's compiled one). */
export function instantiateKernels(memory: WasmMemory, module: WasmModule = kernelModule()): KernelExports {
  const instance = new wasm.Instance(module, {
    env: {
      memory,
      abort: () => {
        throw new Error("boosting: a WebAssembly kernel aborted");
      },
    },
  });
  return instance.exports as unknown as KernelExports;
}

export type { WasmModule };

import { instantiateKernels, KernelExports, newKernelMemory, PAGE_BYTES, WasmMemory } from "./wasmKernels";

/** Alignment of every allocation (a cache line). */
const ALIGN = 64;

let nextArenaId = 0;

/**
 * One training run's memory for the WebAssembly kernels: a shared, growable memory with a bump
 * allocator. Views are made at allocation time; a shared memory's old buffers stay valid when
 * it grows, so views never go stale. Nothing is freed while a run uses the arena (histogram
 * slots are recycled by their pool); afterwards the whole arena is reused (see {@link acquireArena}).
 */
export class KernelArena {
  /** Names this memory for the worker threads, which keep one kernel instance per memory. */
  readonly id = nextArenaId++;
  readonly memory: WasmMemory;
  readonly kernels: KernelExports;
  private top = ALIGN;

  constructor(expectedBytes: number) {
    this.memory = newKernelMemory(Math.max(1, Math.ceil((expectedBytes + ALIGN) / PAGE_BYTES)));
    this.kernels = instantiateKernels(this.memory);
  }

  /** Empties the arena for another run, zeroing what was used. */
  reset(): void {
    new Uint8Array(this.memory.buffer, 0, this.top).fill(0);
    this.top = ALIGN;
  }

  /** Reserves `bytes` (zeroed) and returns their offset. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
    this.top = end;
    return at;
  }

  int32(length: number): { ptr: number; view: Int32Array } {
    const ptr = this.alloc(length * 4);
    return { ptr, view: new Int32Array(this.memory.buffer, ptr, length) };
  }

  float32(length: number): { ptr: number; view: Float32Array } {
    const ptr = this.alloc(length * 4);
    return { ptr, view: new Float32Array(this.memory.buffer, ptr, length) };
  }

  float64(length: number): { ptr: number; view: Float64Array } {
    const ptr = this.alloc(length * 8);
    return { ptr, view: new Float64Array(this.memory.buffer, ptr, length) };
  }

  /** Copies `data` into the arena; returns its offset. */
  copy(data: Int32Array | Uint16Array | Uint32Array | Float32Array | Uint8Array): number {
    const ptr = this.alloc(data.byteLength);
    new Uint8Array(this.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return ptr;
  }
}

/**
 * Arenas of finished runs, kept for the next ones. A shared memory is freed only when every thread
 * that saw it has collected it, and the worker threads allocate too little to collect (tuning leaked
 * ~6 MB per cv call); reusing arenas keeps memory flat and the workers' kernel instances warm.
 */
const spare: KernelArena[] = [];
/** At most this many idle arenas are kept (a cv run holds one per fold at a time). */
const MAX_SPARE = 16;

/** An empty arena: a spare one if any, else a new one sized for `expectedBytes`. */
export function acquireArena(expectedBytes: number): KernelArena {
  const a = spare.pop();
  if (a === undefined) return new KernelArena(expectedBytes);
  a.reset();
  return a;
}

/** Returns an arena whose run has ended; false when it is dropped instead (enough spares). */
export function releaseArena(a: KernelArena): boolean {
  if (spare.length >= MAX_SPARE) return false;
  spare.push(a);
  return true;
}

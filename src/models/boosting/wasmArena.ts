import { instantiateKernels, KernelExports, newKernelMemory, PAGE_BYTES, WasmMemory } from "./wasmKernels";

/** Alignment of every allocation (a cache line). */
const ALIGN = 64;

/**
 * One training run's memory for the WebAssembly kernels: a shared, growable memory with a bump
 * allocator. Views are made at allocation time; a shared memory's old buffers stay valid when
 * it grows, so views never go stale. Nothing is freed before the arena is dropped (histogram
 * slots are recycled by their pool).
 */
export class KernelArena {
  readonly memory: WasmMemory;
  readonly kernels: KernelExports;
  private top = ALIGN;

  constructor(expectedBytes: number) {
    this.memory = newKernelMemory(Math.max(1, Math.ceil((expectedBytes + ALIGN) / PAGE_BYTES)));
    this.kernels = instantiateKernels(this.memory);
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

// Tensor storage inside wasm linear memory. Views over memory.buffer are detached whenever memory
// grows, so every view is made fresh from the current buffer and never kept across an allocation.
import { wasm } from './instance.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';

const MAX_ALLOCATION_BYTES = 2 ** 30 - 1024; // the allocator's largest block is just under 1 GiB

/** Allocates `floats` f32 values (zero-filled) in wasm memory; returns the byte address. */
export function allocFloats(floats: number): number {
  const ptr = allocUninitializedFloats(floats);
  // Zeroed in wasm (filling a JS view of a shared memory is 2–3× slower), by all threads when large.
  runChunked({ op: 'alloc', kernel: 'zeroFloats', args: [ptr, 0, floats], rangeArg: 1, total: floats, chunkSize: chunkSize(floats, floats, RATES.floats, 16) });
  return ptr;
}

/** Allocates `floats` f32 values in wasm memory with whatever the block held before (for outputs written whole). */
export function allocUninitializedFloats(floats: number): number {
  const bytes = Math.max(4, floats * 4);
  if (!Number.isSafeInteger(floats) || floats < 0 || bytes > MAX_ALLOCATION_BYTES) {
    throw new RangeError(`simdnn: cannot allocate ${floats} floats in wasm memory (one allocation must stay under 1 GiB)`);
  }
  try {
    return wasm().alloc(bytes) >>> 0;
  } catch (cause) {
    const used = wasm().memory.buffer.byteLength;
    throw new RangeError(`simdnn: out of wasm memory allocating ${bytes} bytes (${used} bytes in use)`, { cause });
  }
}

export function freeFloats(ptr: number): void {
  wasm().free(ptr);
}

/** A fresh Float32Array view of `length` floats at byte address `ptr`; valid until the next allocation. */
export function f32View(ptr: number, length: number): Float32Array {
  return new Float32Array(wasm().memory.buffer, ptr, length);
}

/** A fresh Uint32Array view of `length` words at byte address `ptr`; valid until the next allocation. */
export function u32View(ptr: number, length: number): Uint32Array {
  return new Uint32Array(wasm().memory.buffer, ptr, length);
}

/** Current size of wasm linear memory in bytes. */
export function memoryBytes(): number {
  return wasm().memory.buffer.byteLength;
}

// Scratch buffers in wasm memory for kernels: allocated by the calling thread (the only one that
// allocates) and grown, never shrunk, when a call needs more. Kernels that the pool splits take one
// buffer per thread slot (`bySlot`).
import { allocFloats, freeFloats } from '../memory.js';
import { numThreads } from './pool.js';

export class Scratch {
  #buffers: number[] = [];
  #bytes = 0;

  /** Byte addresses of `count` buffers of at least `bytes` each. */
  buffers(bytes: number, count: number): readonly number[] {
    if (bytes > this.#bytes) {
      for (const ptr of this.#buffers) freeFloats(ptr);
      this.#buffers = [];
      this.#bytes = bytes;
    }
    while (this.#buffers.length < count) this.#buffers.push(allocFloats(Math.ceil(this.#bytes / 4)));
    return this.#buffers;
  }

  /** One buffer of at least `bytes` per configured thread, indexed by thread slot. */
  bySlot(bytes: number): readonly number[] {
    return this.buffers(bytes, numThreads());
  }
}

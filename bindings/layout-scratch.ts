// The layout a strided kernel reads from wasm memory (assembly/strided.ts, elementwise.ts's
// binaryStrided): its dims and two lists of strides, each a u32[maxRank], in one block that the
// calling thread writes before each call and the pool's threads only read.
import { allocFloats, u32View } from './memory.js';

export class LayoutScratch {
  #block = 0;

  /** Writes `dims`, `stridesA` and `stridesB` (rank ≤ maxRank); returns their byte addresses. */
  write(maxRank: number, dims: readonly number[], stridesA: readonly number[], stridesB: readonly number[]): [number, number, number] {
    if (this.#block === 0) this.#block = allocFloats(3 * maxRank);
    const view = u32View(this.#block, 3 * maxRank);
    view.set(dims, 0);
    view.set(stridesA, maxRank);
    view.set(stridesB, 2 * maxRank);
    return [this.#block, this.#block + 4 * maxRank, this.#block + 8 * maxRank];
  }
}

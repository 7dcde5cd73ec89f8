import type { Storage } from './backend.js';

/** Dropout primitives: a mask made from seeded random bits, and its application. */
export interface DropoutOps {
  /**
   * mask[i] = bits[i] ≥ threshold ? scale : 0 (bits and threshold compared as unsigned 32-bit
   * integers), for every value of mask; bits holds at least mask.length words. An element is dropped
   * with probability threshold / 2³².
   */
  dropoutMask(mask: Storage, bits: Uint32Array, threshold: number, scale: number): void;
  /** out[i] = x[i] · mask[i] over the first `size` values (the forward on x, the backward on dL/dy). */
  dropoutApply(out: Storage, x: Storage, mask: Storage, size: number): void;
}

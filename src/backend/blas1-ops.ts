import type { Storage } from './backend.js';

/** Vector primitives. */
export interface Blas1Ops {
  /** y += alpha · x over the first `n` values (y and x may be the same storage). */
  axpy(y: Storage, x: Storage, alpha: number, n: number): void;
}

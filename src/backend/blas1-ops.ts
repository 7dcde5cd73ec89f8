import type { Storage } from './backend.js';

/** Vector primitives. */
export interface Blas1Ops {
  /** y += alpha · x over the first `n` values (y and x may be the same storage). */
  axpy(y: Storage, x: Storage, alpha: number, n: number): void;
  /** x ← alpha · x over the first `n` values, in place (alpha rounded to f32). */
  scale(x: Storage, alpha: number, n: number): void;
  /** x ← min(max(x, lo), hi) over the first `n` values, in place; NaN stays NaN. */
  clamp(x: Storage, lo: number, hi: number, n: number): void;
  /**
   * Σ |x[i]|^p over the first `n` values, accumulated in f64, for p > 0 (|x|^p in f32 precision
   * unless p is 1 or 2); for p = Infinity the largest |x[i]|. NaN if any value is NaN.
   */
  powerSum(x: Storage, n: number, p: number): number;
  /** base^exponent in f32 precision, computed where the backend computes (wasm: the same bits in every engine). */
  scalarPow(base: number, exponent: number): number;
}

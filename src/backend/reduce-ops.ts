import type { Storage } from './backend.js';

/**
 * Reductions over one dimension. The tensor is viewed as [outer, n, inner]: outer is the product of
 * the dimensions before the reduced one, n its size, inner the product of those after it.
 */
export interface ReduceOps {
  /** out[o, i] = scale · Σ_d x[o, d, i] (out is [outer, inner]). */
  sumDim(out: Storage, x: Storage, outer: number, n: number, inner: number, scale: number): void;
  /** gx[o, d, i] = scale · gy[o, i]: the gradient of sumDim. */
  expandDim(gx: Storage, gy: Storage, outer: number, n: number, inner: number, scale: number): void;
  /**
   * values[o, i] = max_d x[o, d, i] and indices[o, i] = the first d attaining it (as a float); NaN
   * counts as the largest value, as in PyTorch. n ≥ 1.
   */
  maxDim(values: Storage, indices: Storage, x: Storage, outer: number, n: number, inner: number): void;
  /** gx[o, d, i] = gy[o, i] where d = indices[o, i], else 0. */
  maxDimBackward(gx: Storage, gy: Storage, indices: Storage, outer: number, n: number, inner: number): void;
  /**
   * The gradient of max over all n values of x (max holds it, gy one value): gy shared evenly among
   * the elements equal to max (NaN elements when max is NaN), 0 elsewhere.
   */
  maxAllBackward(gx: Storage, gy: Storage, x: Storage, max: Storage, n: number): void;
}

// Typed wrappers for the reduction kernels (assembly/reduce.ts); tensors viewed as [outer, n, inner].
// Large calls are split across the thread pool by outer rows only: every output element [o, i] lies in
// one row, so one thread computes its whole sum (or maximum) in the same order at any thread count. A
// call with one outer row (a sum over the leading dimension, or over all elements) stays one call.
import { wasm } from './instance.js';
import { runOverRange } from './ranges.js';

interface ReduceExports {
  maxAllBackward(gx: number, gy: number, x: number, max: number, n: number): void;
}

/** out[o, i] = scale · Σ_d x[o, d, i]. Byte addresses. Streams: x read, out written. */
export function sumDim(out: number, x: number, outer: number, n: number, inner: number, scale: number): void {
  runOverRange('sumDim', [out, x, outer, n, inner, scale], outer, outer * (n + 1) * inner);
}

/** gx[o, d, i] = scale · gy[o, i]. Streams: gy read, gx written. */
export function expandDim(gx: number, gy: number, outer: number, n: number, inner: number, scale: number): void {
  runOverRange('expandDim', [gx, gy, outer, n, inner, scale], outer, outer * (n + 1) * inner);
}

/** Maximum over d and the first index attaining it. Streams: x read, values and indices written. */
export function maxDim(values: number, indices: number, x: number, outer: number, n: number, inner: number): void {
  runOverRange('maxDim', [values, indices, x, outer, n, inner], outer, outer * (n + 2) * inner);
}

/** Scatters gy to the recorded argmax positions; zeros elsewhere. Streams: gx written, gy and indices read. */
export function maxDimBackward(gx: number, gy: number, indices: number, outer: number, n: number, inner: number): void {
  runOverRange('maxDimBackward', [gx, gy, indices, outer, n, inner], outer, outer * (n + 2) * inner);
}

/** Shares gy evenly among the elements of x equal to max (one call: every element needs the count). */
export function maxAllBackward(gx: number, gy: number, x: number, max: number, n: number): void {
  wasm<ReduceExports>().maxAllBackward(gx, gy, x, max, n);
}

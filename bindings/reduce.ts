// Typed wrappers for the reduction kernels (assembly/reduce.ts); tensors viewed as [outer, n, inner].
import { wasm } from './instance.js';

interface ReduceExports {
  sumDim(out: number, x: number, outer: number, n: number, inner: number, scale: number, outerStart: number, outerEnd: number): void;
  expandDim(gx: number, gy: number, outer: number, n: number, inner: number, scale: number, outerStart: number, outerEnd: number): void;
  maxDim(values: number, indices: number, x: number, outer: number, n: number, inner: number, outerStart: number, outerEnd: number): void;
  maxDimBackward(gx: number, gy: number, indices: number, outer: number, n: number, inner: number, outerStart: number, outerEnd: number): void;
  maxAllBackward(gx: number, gy: number, x: number, max: number, n: number): void;
}

const kernels = () => wasm<ReduceExports>();

/** out[o, i] = scale · Σ_d x[o, d, i]. Byte addresses. */
export function sumDim(out: number, x: number, outer: number, n: number, inner: number, scale: number): void {
  kernels().sumDim(out, x, outer, n, inner, scale, 0, outer);
}

/** gx[o, d, i] = scale · gy[o, i]. */
export function expandDim(gx: number, gy: number, outer: number, n: number, inner: number, scale: number): void {
  kernels().expandDim(gx, gy, outer, n, inner, scale, 0, outer);
}

/** Maximum over d and the first index attaining it. */
export function maxDim(values: number, indices: number, x: number, outer: number, n: number, inner: number): void {
  kernels().maxDim(values, indices, x, outer, n, inner, 0, outer);
}

/** Scatters gy to the recorded argmax positions; zeros elsewhere. */
export function maxDimBackward(gx: number, gy: number, indices: number, outer: number, n: number, inner: number): void {
  kernels().maxDimBackward(gx, gy, indices, outer, n, inner, 0, outer);
}

/** Shares gy evenly among the elements of x equal to max. */
export function maxAllBackward(gx: number, gy: number, x: number, max: number, n: number): void {
  kernels().maxAllBackward(gx, gy, x, max, n);
}

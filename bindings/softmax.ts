// Typed wrappers for the softmax kernels (assembly/softmax.ts); tensors viewed as [outer, n, inner].
import { wasm } from './instance.js';

interface SoftmaxExports {
  softmaxForward(y: number, x: number, outer: number, n: number, inner: number, log: number, outerStart: number, outerEnd: number): void;
  softmaxBackward(gx: number, gy: number, y: number, outer: number, n: number, inner: number, log: number, outerStart: number, outerEnd: number): void;
}

/** y = softmax or log-softmax of x along n. Byte addresses. */
export function softmaxForward(y: number, x: number, outer: number, n: number, inner: number, log: boolean): void {
  wasm<SoftmaxExports>().softmaxForward(y, x, outer, n, inner, log ? 1 : 0, 0, outer);
}

/** gx from gy and the forward output y. */
export function softmaxBackward(gx: number, gy: number, y: number, outer: number, n: number, inner: number, log: boolean): void {
  wasm<SoftmaxExports>().softmaxBackward(gx, gy, y, outer, n, inner, log ? 1 : 0, 0, outer);
}

// Typed wrappers for the loss kernels with options (assembly/loss-options.ts). Forward wrappers return
// the f64 sum of the losses they write; 0 stands for an absent buffer.
import { wasm } from './instance.js';

interface LossOptionsExports {
  f32CrossEntropyClassForward(lossRows: number, logSumExp: number, logits: number, targets: number, weight: number, c: number, ignoreIndex: number, smoothing: number, rowStart: number, rowEnd: number): number;
  f32CrossEntropyClassBackward(gradLogits: number, grad: number, gradStride: number, divisor: number, logits: number, logSumExp: number, targets: number, weight: number, c: number, ignoreIndex: number, smoothing: number, rowStart: number, rowEnd: number): void;
  f32CrossEntropyProbForward(lossRows: number, logSumExp: number, logits: number, targets: number, weight: number, c: number, smoothing: number, rowStart: number, rowEnd: number): number;
  f32CrossEntropyProbBackward(gradLogits: number, gradTargets: number, grad: number, gradStride: number, divisor: number, logits: number, logSumExp: number, targets: number, weight: number, c: number, smoothing: number, rowStart: number, rowEnd: number): void;
  f32BceWithLogitsForward(out: number, x: number, y: number, posWeight: number, period: number, start: number, end: number): number;
  f32BceWithLogitsBackward(gx: number, gy: number, grad: number, gradStride: number, divisor: number, x: number, y: number, posWeight: number, period: number, start: number, end: number): void;
  f32BceForward(out: number, x: number, y: number, start: number, end: number): number;
  f32BceBackward(gx: number, gy: number, grad: number, gradStride: number, divisor: number, x: number, y: number, start: number, end: number): void;
  f32PointwiseLossForward(kind: number, out: number, a: number, b: number, param: number, start: number, end: number): number;
  f32PointwiseLossBackward(kind: number, ga: number, gb: number, grad: number, gradStride: number, divisor: number, a: number, b: number, param: number, start: number, end: number): void;
}

/** The kernels, called over whole batches (one thread). */
export function lossOptionsKernels(): LossOptionsExports {
  return wasm<LossOptionsExports>();
}

// Typed wrappers for the loss kernels (assembly/loss.ts). The forward kernels return the sum of the
// rows' losses; these wrappers write the mean into the one-value loss buffer.
import { wasm } from './instance.js';
import { f32View } from './memory.js';

interface LossExports {
  f32CrossEntropyForward(logSumExp: number, logits: number, targets: number, c: number, rowStart: number, rowEnd: number): number;
  f32CrossEntropyBackward(gradLogits: number, gradLoss: number, logits: number, logSumExp: number, targets: number, n: number, c: number, rowStart: number, rowEnd: number): void;
  f32MultiMarginForward(scores: number, targets: number, margin: number, p: number, c: number, rowStart: number, rowEnd: number): number;
  f32MultiMarginBackward(gradScores: number, gradLoss: number, scores: number, targets: number, margin: number, p: number, n: number, c: number, rowStart: number, rowEnd: number): void;
  f32MseForward(a: number, b: number, start: number, end: number): number;
  f32MseBackward(gradA: number, gradB: number, gradLoss: number, a: number, b: number, n: number, start: number, end: number): void;
  f32ExpWasmsimd(out: number, x: number, n: number): void;
}

function exports(): LossExports {
  return wasm<LossExports>();
}

/** loss[0] = mean cross-entropy of logits [n, c] against targets [n]; logSumExp [n] for the backward. */
export function crossEntropy(loss: number, logSumExp: number, logits: number, targets: number, n: number, c: number): void {
  f32View(loss, 1)[0] = exports().f32CrossEntropyForward(logSumExp, logits, targets, c, 0, n) / n;
}

/** gradLogits [n, c] = (softmax − onehot) · gradLoss[0] / n. */
export function crossEntropyBackward(gradLogits: number, gradLoss: number, logits: number, logSumExp: number, targets: number, n: number, c: number): void {
  exports().f32CrossEntropyBackward(gradLogits, gradLoss, logits, logSumExp, targets, n, c, 0, n);
}

/** loss[0] = mean multiclass hinge loss of scores [n, c] against targets [n]. */
export function multiMarginLoss(loss: number, scores: number, targets: number, n: number, c: number, margin: number, p: number): void {
  f32View(loss, 1)[0] = exports().f32MultiMarginForward(scores, targets, margin, p, c, 0, n) / n;
}

/** gradScores [n, c] of the mean multiclass hinge loss, times gradLoss[0]. */
export function multiMarginLossBackward(gradScores: number, gradLoss: number, scores: number, targets: number, n: number, c: number, margin: number, p: number): void {
  exports().f32MultiMarginBackward(gradScores, gradLoss, scores, targets, margin, p, n, c, 0, n);
}

/** loss[0] = mean of (a − b)² over `size` floats. */
export function mseLoss(loss: number, a: number, b: number, size: number): void {
  f32View(loss, 1)[0] = exports().f32MseForward(a, b, 0, size) / size;
}

/** gradA = 2(a − b)·gradLoss[0] / size, gradB = −gradA (address 0: not wanted). */
export function mseLossBackward(gradA: number, gradB: number, gradLoss: number, a: number, b: number, size: number): void {
  exports().f32MseBackward(gradA, gradB, gradLoss, a, b, size, 0, size);
}

/** out = exp(x) over `n` floats with the loss kernels' vectorised exp (exposed for tests). */
export function expF32(out: number, x: number, n: number): void {
  exports().f32ExpWasmsimd(out, x, n);
}

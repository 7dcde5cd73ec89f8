import type { LossOps, PointwiseLoss } from '../loss-ops.js';
import type { Storage } from '../backend.js';
import * as kernels from '../../../bindings/loss.js';
import { lossOptionsKernels as k } from '../../../bindings/loss-options.js';
import { ptr } from './storage.js';

export const wasmLossOps: LossOps = {
  crossEntropy: (loss, logSumExp, logits, targets, n, c) => kernels.crossEntropy(ptr(loss), ptr(logSumExp), ptr(logits), ptr(targets), n, c),
  crossEntropyBackward: (gradLogits, gradLoss, logits, logSumExp, targets, n, c) =>
    kernels.crossEntropyBackward(ptr(gradLogits), ptr(gradLoss), ptr(logits), ptr(logSumExp), ptr(targets), n, c),
  multiMarginLoss: (loss, scores, targets, n, c, margin, p) => kernels.multiMarginLoss(ptr(loss), ptr(scores), ptr(targets), n, c, margin, p),
  multiMarginLossBackward: (gradScores, gradLoss, scores, targets, n, c, margin, p) =>
    kernels.multiMarginLossBackward(ptr(gradScores), ptr(gradLoss), ptr(scores), ptr(targets), n, c, margin, p),
  mseLoss: (loss, a, b, size) => kernels.mseLoss(ptr(loss), ptr(a), ptr(b), size),
  mseLossBackward: (gradA, gradB, gradLoss, a, b, size) =>
    kernels.mseLossBackward(gradA ? ptr(gradA) : 0, gradB ? ptr(gradB) : 0, ptr(gradLoss), ptr(a), ptr(b), size),

  crossEntropyClass: (lossRows, logSumExp, logits, targets, weight, n, c, ignoreIndex, smoothing) =>
    k().f32CrossEntropyClassForward(ptr(lossRows), ptr(logSumExp), ptr(logits), ptr(targets), opt(weight), c, ignoreIndex, smoothing, 0, n),
  crossEntropyClassBackward: (gradLogits, grad, gradStride, divisor, logits, logSumExp, targets, weight, n, c, ignoreIndex, smoothing) =>
    k().f32CrossEntropyClassBackward(ptr(gradLogits), ptr(grad), gradStride, divisor, ptr(logits), ptr(logSumExp), ptr(targets), opt(weight), c, ignoreIndex, smoothing, 0, n),
  crossEntropyProb: (lossRows, logSumExp, logits, targets, weight, n, c, smoothing) =>
    k().f32CrossEntropyProbForward(ptr(lossRows), ptr(logSumExp), ptr(logits), ptr(targets), opt(weight), c, smoothing, 0, n),
  crossEntropyProbBackward: (gradLogits, gradTargets, grad, gradStride, divisor, logits, logSumExp, targets, weight, n, c, smoothing) =>
    k().f32CrossEntropyProbBackward(ptr(gradLogits), opt(gradTargets), ptr(grad), gradStride, divisor, ptr(logits), ptr(logSumExp), ptr(targets), opt(weight), c, smoothing, 0, n),
  bceWithLogits: (out, x, y, posWeight, period, n) => k().f32BceWithLogitsForward(opt(out), ptr(x), ptr(y), opt(posWeight), period, 0, n),
  bceWithLogitsBackward: (gx, gy, grad, gradStride, divisor, x, y, posWeight, period, n) =>
    k().f32BceWithLogitsBackward(opt(gx), opt(gy), ptr(grad), gradStride, divisor, ptr(x), ptr(y), opt(posWeight), period, 0, n),
  bce: (out, x, y, n) => k().f32BceForward(opt(out), ptr(x), ptr(y), 0, n),
  bceBackward: (gx, gy, grad, gradStride, divisor, x, y, n) => k().f32BceBackward(opt(gx), opt(gy), ptr(grad), gradStride, divisor, ptr(x), ptr(y), 0, n),
  pointwiseLoss: (kind, out, a, b, n, param) => k().f32PointwiseLossForward(POINTWISE[kind], opt(out), ptr(a), ptr(b), param, 0, n),
  pointwiseLossBackward: (kind, ga, gb, grad, gradStride, divisor, a, b, n, param) =>
    k().f32PointwiseLossBackward(POINTWISE[kind], opt(ga), opt(gb), ptr(grad), gradStride, divisor, ptr(a), ptr(b), param, 0, n),
};

/** The kernels' codes for the pointwise losses (assembly/loss-options.ts). */
const POINTWISE: Record<PointwiseLoss, number> = { l1: 0, smoothL1: 1, huber: 2, squared: 3 };

/** A buffer's address, or 0 for none. */
function opt(storage: Storage | undefined): number {
  return storage ? ptr(storage) : 0;
}

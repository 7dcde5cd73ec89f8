import type { LossOps } from '../loss-ops.js';
import * as kernels from '../../../bindings/loss.js';
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
};

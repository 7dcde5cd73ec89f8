import type { Storage } from './backend.js';

/**
 * Loss primitives, mean-reduced over the batch into a one-value `loss`. Backward primitives read
 * dL/d(loss) from the one-value `gradLoss` and overwrite their outputs. Class targets are f32 class
 * indices that the caller has checked to be integers in [0, c).
 */
export interface LossOps {
  /**
   * Cross-entropy of logits [n, c] against targets [n], fused log-softmax + NLL with max subtraction:
   * loss = mean over rows of (log Σ exp(row) − row[target]). logSumExp [n] receives each row's
   * log Σ exp for the backward.
   */
  crossEntropy(loss: Storage, logSumExp: Storage, logits: Storage, targets: Storage, n: number, c: number): void;
  /** gradLogits [n, c] = (softmax(logits) − onehot(targets)) · gradLoss / n, with logSumExp from the forward. */
  crossEntropyBackward(gradLogits: Storage, gradLoss: Storage, logits: Storage, logSumExp: Storage, targets: Storage, n: number, c: number): void;
  /** Multiclass hinge loss of scores [n, c]: mean over rows of Σ_{i≠y} max(0, margin − s[y] + s[i])^p / c. */
  multiMarginLoss(loss: Storage, scores: Storage, targets: Storage, n: number, c: number, margin: number, p: 1 | 2): void;
  /** gradScores [n, c] of the mean multiclass hinge loss, times gradLoss. */
  multiMarginLossBackward(gradScores: Storage, gradLoss: Storage, scores: Storage, targets: Storage, n: number, c: number, margin: number, p: 1 | 2): void;
  /** Mean of (a − b)² over the first `size` values. */
  mseLoss(loss: Storage, a: Storage, b: Storage, size: number): void;
  /** gradA = 2(a − b)·gradLoss / size and gradB = −gradA; either may be omitted. */
  mseLossBackward(gradA: Storage | undefined, gradB: Storage | undefined, gradLoss: Storage, a: Storage, b: Storage, size: number): void;
}

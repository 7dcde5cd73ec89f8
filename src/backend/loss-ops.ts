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

  // With options (PyTorch's weight, label smoothing, ignore index, reductions). Forward primitives
  // write unreduced losses (per row or element) where an output is given and return their sum (f64);
  // backward primitives read the upstream gradient `grad` at index i·gradStride (0: one value for a
  // reduced loss, 1: one per row or element) and divide it by `divisor` (the mean's denominator, else 1).

  /**
   * Cross-entropy of logits [n, c] against class indices [n] (each in [0, c) or ignoreIndex), with
   * class weights [c] (omitted: 1) and label smoothing ε: lossRows[i] = (1 − ε)·w[y]·(lse − x[y]) +
   * (ε/c)·Σ_k w[k]·(lse − x[k]), 0 for an ignored row. logSumExp [n] receives each row's log Σ exp.
   */
  crossEntropyClass(lossRows: Storage, logSumExp: Storage, logits: Storage, targets: Storage, weight: Storage | undefined, n: number, c: number, ignoreIndex: number, smoothing: number): number;
  /** gradLogits [n, c] of `crossEntropyClass`: p·(a + b·Σw) − b·w − onehot(y)·a with a = (1 − ε)·w[y]·g, b = (ε/c)·g. */
  crossEntropyClassBackward(gradLogits: Storage, grad: Storage, gradStride: 0 | 1, divisor: number, logits: Storage, logSumExp: Storage, targets: Storage, weight: Storage | undefined, n: number, c: number, ignoreIndex: number, smoothing: number): void;
  /** Cross-entropy against probability targets [n, c]: lossRows[i] = Σ_k w[k]·t'[k]·(lse − x[k]), t' = t·(1 − ε) + ε/c. */
  crossEntropyProb(lossRows: Storage, logSumExp: Storage, logits: Storage, targets: Storage, weight: Storage | undefined, n: number, c: number, smoothing: number): number;
  /** gradLogits = g·(p·Σ_k w[k]t'[k] − w·t') and gradTargets (if given) = g·(1 − ε)·w·(lse − x). */
  crossEntropyProbBackward(gradLogits: Storage, gradTargets: Storage | undefined, grad: Storage, gradStride: 0 | 1, divisor: number, logits: Storage, logSumExp: Storage, targets: Storage, weight: Storage | undefined, n: number, c: number, smoothing: number): void;
  /**
   * Binary cross-entropy on logits, stable: out[i] = (1 − y)·x + lw·softplus(−x), lw = 1 + (pw − 1)·y
   * with pw = posWeight[i mod period] (omitted: lw = 1).
   */
  bceWithLogits(out: Storage | undefined, x: Storage, y: Storage, posWeight: Storage | undefined, period: number, n: number): number;
  /** gx = (σ(x)·(pw·y + 1 − y) − pw·y)·g / divisor and gy = (−x + (pw − 1)·softplus(−x))·g / divisor; either may be omitted. */
  bceWithLogitsBackward(gx: Storage | undefined, gy: Storage | undefined, grad: Storage, gradStride: 0 | 1, divisor: number, x: Storage, y: Storage, posWeight: Storage | undefined, period: number, n: number): void;
  /** Binary cross-entropy on probabilities: out[i] = (y − 1)·max(log(1 − x), −100) − y·max(log x, −100). */
  bce(out: Storage | undefined, x: Storage, y: Storage, n: number): number;
  /** gx = g·(x − y) / max((1 − x)·x, 1e-12) / divisor and gy = g·(log(1 − x) − log x) / divisor; either may be omitted. */
  bceBackward(gx: Storage | undefined, gy: Storage | undefined, grad: Storage, gradStride: 0 | 1, divisor: number, x: Storage, y: Storage, n: number): void;
  /** Pointwise losses of d = a − b (see `PointwiseLoss`); `param` is smooth L1's β or Huber's δ. */
  pointwiseLoss(kind: PointwiseLoss, out: Storage | undefined, a: Storage, b: Storage, n: number, param: number): number;
  /**
   * ga = ∂loss/∂a · g / divisor and gb = ∂loss/∂b · g / divisor by PyTorch's formulas (−ga, except at
   * smooth L1's kink with β = 0, where PyTorch gives both −g); either may be omitted.
   */
  pointwiseLossBackward(kind: PointwiseLoss, ga: Storage | undefined, gb: Storage | undefined, grad: Storage, gradStride: 0 | 1, divisor: number, a: Storage, b: Storage, n: number, param: number): void;
}

/**
 * Pointwise losses of d = a − b: 'l1' |d|; 'smoothL1' 0.5·d²/β where |d| < β, else |d| − 0.5·β;
 * 'huber' 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ); 'squared' d².
 */
export type PointwiseLoss = 'l1' | 'smoothL1' | 'huber' | 'squared';

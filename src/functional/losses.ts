// Losses, mean-reduced over the batch as PyTorch's defaults: cross-entropy on class indices,
// multiclass hinge (multi-margin) and mean squared error. Each is one fused forward primitive and one
// fused backward primitive; the gradient rule sits under its forward.
import { recordOp } from '../autograd.js';
import type { Storage } from '../backend/index.js';
import { SimdnnError, formatShape } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Class indices, one per row: a tensor of shape [N] holding integral values, or plain integers. */
export type ClassTargets = Tensor | ArrayLike<number>;

/** Options of `multiMarginLoss`, as PyTorch's `multi_margin_loss`. */
export interface MultiMarginLossOptions {
  /** The margin the target's score must beat every other score by (default 1). */
  margin?: number;
  /** The hinge's exponent: 1 (default) or 2 (squared hinge). */
  p?: 1 | 2;
}

/**
 * Cross-entropy between `logits` [N, C] (unnormalised scores) and class indices `targets` (N of
 * them, each in [0, C)), averaged over the batch: mean of log Σ_c exp(logits[n, c]) − logits[n, y_n].
 * A fused, max-subtracted log-softmax + NLL, so large logits stay finite. Differentiable in `logits`.
 */
export function crossEntropy(logits: Tensor, targets: ClassTargets): Tensor {
  const [n, c] = rowsAndClasses('crossEntropy', 'logits', logits);
  const t = classTargets('crossEntropy', 'logits', logits, targets);
  const backend = logits.backend;
  const loss = backend.alloc(1);
  const logSumExp = backend.alloc(n);
  backend.crossEntropy(loss, logSumExp, logits.storage, t, n, c);
  return recordOp('crossEntropy', new Tensor(loss, [], backend), [logits], (gy) => {
    const g = backend.alloc(logits.size);
    backend.crossEntropyBackward(g, gy.storage, logits.storage, logSumExp, t, n, c);
    return [new Tensor(g, logits.shape, backend)];
  }, [logSumExp]);
}

/**
 * Multiclass hinge (SVM) loss of `scores` [N, C] against class indices `targets`, averaged over the
 * batch: mean over n of Σ_{c ≠ y_n} max(0, margin − scores[n, y_n] + scores[n, c])^p / C.
 * Differentiable in `scores`.
 */
export function multiMarginLoss(scores: Tensor, targets: ClassTargets, { margin = 1, p = 1 }: MultiMarginLossOptions = {}): Tensor {
  if (p !== 1 && p !== 2) throw new SimdnnError(`multiMarginLoss: p must be 1 or 2, got ${String(p)}`);
  if (!Number.isFinite(margin)) throw new SimdnnError(`multiMarginLoss: margin must be a finite number, got ${margin}`);
  const [n, c] = rowsAndClasses('multiMarginLoss', 'scores', scores);
  const t = classTargets('multiMarginLoss', 'scores', scores, targets);
  const backend = scores.backend;
  const loss = backend.alloc(1);
  backend.multiMarginLoss(loss, scores.storage, t, n, c, margin, p);
  return recordOp('multiMarginLoss', new Tensor(loss, [], backend), [scores], (gy) => {
    const g = backend.alloc(scores.size);
    backend.multiMarginLossBackward(g, gy.storage, scores.storage, t, n, c, margin, p);
    return [new Tensor(g, scores.shape, backend)];
  });
}

/** Mean squared error: the mean of (a − b)² over all elements. `a` and `b` have the same shape; differentiable in both. */
export function mseLoss(a: Tensor, b: Tensor): Tensor {
  if (!sameShape(a.shape, b.shape)) {
    throw new SimdnnError(`mseLoss: input and target shapes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.backend !== b.backend) {
    throw new SimdnnError(`mseLoss: input and target live on different backends ('${a.backend.name}' and '${b.backend.name}')`);
  }
  const backend = a.backend;
  const loss = backend.alloc(1);
  backend.mseLoss(loss, a.storage, b.storage, a.size);
  return recordOp('mseLoss', new Tensor(loss, [], backend), [a, b], (gy) => {
    const ga = a.requiresGrad ? backend.alloc(a.size) : undefined;
    const gb = b.requiresGrad ? backend.alloc(b.size) : undefined;
    backend.mseLossBackward(ga, gb, gy.storage, a.storage, b.storage, a.size);
    return [ga && new Tensor(ga, a.shape, backend), gb && new Tensor(gb, b.shape, backend)];
  });
}

/** [N, C] of a batch of score rows; throws unless `scores` is 2-D. */
function rowsAndClasses(op: string, name: string, scores: Tensor): [number, number] {
  if (scores.ndim !== 2) throw new SimdnnError(`${op}: ${name} must have shape [N, C], got ${formatShape(scores.shape)}`);
  return [scores.shape[0], scores.shape[1]];
}

/**
 * The targets as f32 class indices on the scores' backend, after checking there is one per row and
 * each is an integer in [0, C). A target tensor on that backend is used as it is.
 */
function classTargets(op: string, name: string, scores: Tensor, targets: ClassTargets): Storage {
  const [n, c] = scores.shape;
  let values: ArrayLike<number>;
  if (targets instanceof Tensor) {
    if (targets.ndim !== 1 || targets.shape[0] !== n) {
      throw new SimdnnError(`${op}: targets of shape ${formatShape(targets.shape)} do not match ${name} of shape ${formatShape(scores.shape)} (expected [${n}])`);
    }
    if (targets.backend !== scores.backend) {
      throw new SimdnnError(`${op}: ${name} and targets live on different backends ('${scores.backend.name}' and '${targets.backend.name}')`);
    }
    values = targets.toFloat32Array();
  } else {
    if (targets.length !== n) {
      throw new SimdnnError(`${op}: ${targets.length} targets given for ${name} of shape ${formatShape(scores.shape)} (expected ${n})`);
    }
    values = targets;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v < c)) {
      throw new SimdnnError(`${op}: target at index ${i} is ${v}, not a class index in [0, ${c}) for ${name} of shape ${formatShape(scores.shape)}`);
    }
  }
  return targets instanceof Tensor ? targets.storage : scores.backend.fromValues(values);
}

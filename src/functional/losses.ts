// Losses with PyTorch 1.13's semantics and options (`reduction: 'mean' | 'sum' | 'none'`, class
// weights, label smoothing, an ignored class, probability targets, positive-class weights):
// cross-entropy, NLL, binary cross-entropy (on probabilities and on logits), L1, smooth L1, Huber,
// MSE and the multiclass hinge. The hot ones are one fused forward and one fused backward primitive
// (cross-entropy in every form, binary cross-entropy, the pointwise regression losses); NLL and
// weighted elementwise losses are composed of tensor ops. Gradient rules sit under their forwards.
// Plain `crossEntropy(logits, classIndices)` keeps its original kernel pair, bit for bit.
import { recordOp } from '../autograd.js';
import type { Backend, Storage } from '../backend/index.js';
import type { PointwiseLoss } from '../backend/loss-ops.js';
import { broadcastShapes } from '../backend/broadcast.js';
import { SimdnnError, formatShape } from '../errors.js';
import { binaryRaw, div, mul } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
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

/** How a loss reduces its per-element (or per-row) values: their mean (default), their sum, or none. */
export type Reduction = 'mean' | 'sum' | 'none';

/** Weights per class or per element: a tensor, or plain numbers (a 1-D tensor). */
export type Weights = Tensor | ArrayLike<number>;

/** Options of `crossEntropy`, PyTorch's in camelCase. */
export interface CrossEntropyOptions {
  /** A weight per class ([C]): each row's loss is scaled by its target's weight; the mean divides by their sum. */
  weight?: Weights;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C (default 0). */
  labelSmoothing?: number;
  /** Rows whose class-index target equals it add nothing and do not count in the mean (default −100). */
  ignoreIndex?: number;
  /** Default 'mean'. */
  reduction?: Reduction;
}

/**
 * Cross-entropy between `logits` [N, C] (unnormalised scores) and `targets`, as PyTorch's
 * `F.cross_entropy`: either class indices (N of them, each in [0, C) or `ignoreIndex`; a tensor [N]
 * or plain numbers), or class probabilities (a tensor of the logits' shape, e.g. soft labels or mixup).
 * Per row, −Σ_c w_c·t_c·log softmax(logits)_c with t the (smoothed) target; 'mean' divides by the
 * summed weights of the rows that count (by N for probability targets). A fused, max-subtracted
 * log-softmax, so large logits stay finite. Differentiable in `logits` (and in probability targets).
 *
 * ```ts
 * sn.F.crossEntropy(logits, labels);                                      // mean over the batch
 * sn.F.crossEntropy(logits, labels, { labelSmoothing: 0.1, weight: [1, 2, 1] });
 * sn.F.crossEntropy(logits, softTargets, { reduction: 'none' });          // [N]
 * ```
 */
export function crossEntropy(logits: Tensor, targets: ClassTargets, options: CrossEntropyOptions = {}): Tensor {
  const op = 'crossEntropy';
  const [n, c] = rowsAndClasses(op, 'logits', logits);
  checkOptions(op, options, ['weight', 'labelSmoothing', 'ignoreIndex', 'reduction']);
  const { weight, labelSmoothing = 0, ignoreIndex = -100, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  if (!(typeof labelSmoothing === 'number' && labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new SimdnnError(`${op}: labelSmoothing must be a number in [0, 1], got ${describe(labelSmoothing)}`);
  }
  if (!Number.isInteger(ignoreIndex)) throw new SimdnnError(`${op}: ignoreIndex must be an integer, got ${describe(ignoreIndex)}`);
  if (targets instanceof Tensor && targets.ndim === 2 && sameShape(targets.shape, logits.shape)) {
    if (ignoreIndex !== -100) throw new SimdnnError(`${op}: ignoreIndex applies to class-index targets only, not to probability targets`);
    return crossEntropyProb(logits, targets, weight, labelSmoothing, reduction);
  }
  const { storage: t, values, owned } = classTargetValues(op, 'logits', logits, targets, ignoreIndex);
  let ignored = false;
  for (let i = 0; i < n; i++) if (values[i] === ignoreIndex) ignored = true;
  const backend = logits.backend;
  if (weight === undefined && labelSmoothing === 0 && reduction === 'mean' && !ignored) {
    // The original fused kernel pair: the default stays exactly as fast and gives the same bits.
    const loss = backend.alloc(1);
    const logSumExp = backend.alloc(n);
    backend.crossEntropy(loss, logSumExp, logits.storage, t, n, c);
    return recordOp(op, new Tensor(loss, [], backend), [logits], (gy) => {
      const g = backend.alloc(logits.size);
      backend.crossEntropyBackward(g, gy.storage, logits.storage, logSumExp, t, n, c);
      return [new Tensor(g, logits.shape, backend)];
    }, owned ? [logSumExp, t] : [logSumExp]);
  }
  const w = weightValues(op, 'weight', backend, weight, c);
  let divisor = 1;
  if (reduction === 'mean') {
    divisor = 0; // Σ of the counted rows' target weights, as PyTorch's nll_loss
    for (let i = 0; i < n; i++) if (values[i] !== ignoreIndex) divisor += w ? w.values[values[i]] : 1;
  }
  const lossRows = backend.empty(n);
  const logSumExp = backend.empty(n);
  const total = backend.crossEntropyClass(lossRows, logSumExp, logits.storage, t, w?.storage, n, c, ignoreIndex, labelSmoothing);
  const scratch = [logSumExp, ...(owned ? [t] : []), ...(w?.owned ? [w.storage] : [])];
  const out = reducedOutput(backend, reduction, lossRows, [n], total, divisor);
  if (out.storage !== lossRows) backend.free(lossRows);
  return recordOp(op, out, [logits], (gy) => {
    const g = backend.empty(logits.size);
    backend.crossEntropyClassBackward(g, gy.storage, reduction === 'none' ? 1 : 0, divisor, logits.storage, logSumExp, t, w?.storage, n, c, ignoreIndex, labelSmoothing);
    return [new Tensor(g, logits.shape, backend)];
  }, scratch);
}

/** Cross-entropy against probability targets of the logits' shape; 'mean' divides by N. */
function crossEntropyProb(logits: Tensor, targets: Tensor, weight: Weights | undefined, smoothing: number, reduction: Reduction): Tensor {
  const op = 'crossEntropy';
  const [n, c] = logits.shape;
  sameBackend(op, 'logits', logits, targets);
  const backend = logits.backend;
  const w = weightValues(op, 'weight', backend, weight, c);
  const lossRows = backend.empty(n);
  const logSumExp = backend.empty(n);
  const total = backend.crossEntropyProb(lossRows, logSumExp, logits.storage, targets.storage, w?.storage, n, c, smoothing);
  const divisor = reduction === 'mean' ? n : 1;
  const out = reducedOutput(backend, reduction, lossRows, [n], total, divisor);
  if (out.storage !== lossRows) backend.free(lossRows);
  return recordOp(op, out, [logits, targets], (gy) => {
    const g = backend.empty(logits.size); // the kernel writes it either way
    const gt = targets.requiresGrad ? backend.empty(targets.size) : undefined;
    backend.crossEntropyProbBackward(g, gt, gy.storage, reduction === 'none' ? 1 : 0, divisor, logits.storage, logSumExp, targets.storage, w?.storage, n, c, smoothing);
    if (!logits.requiresGrad) backend.free(g);
    return [logits.requiresGrad ? new Tensor(g, logits.shape, backend) : undefined, gt && new Tensor(gt, targets.shape, backend)];
  }, [logSumExp, ...(w?.owned ? [w.storage] : [])]);
}

/** Options of `nllLoss`, PyTorch's in camelCase. */
export interface NllLossOptions {
  /** A weight per class ([C]); the mean divides by the summed weights of the counted rows. */
  weight?: Weights;
  /** Rows whose target equals it add nothing (default −100). */
  ignoreIndex?: number;
  /** Default 'mean'. */
  reduction?: Reduction;
}

/**
 * Negative log-likelihood of log-probabilities `input` [N, C] (e.g. from `logSoftmax`) against class
 * indices, as PyTorch's `F.nll_loss`: per row −w[y]·input[n, y], 0 for ignored rows; 'mean' divides by
 * the summed weights of the rows that count. Differentiable in `input`.
 */
export function nllLoss(input: Tensor, targets: ClassTargets, options: NllLossOptions = {}): Tensor {
  const op = 'nllLoss';
  const [n, c] = rowsAndClasses(op, 'input', input);
  checkOptions(op, options, ['weight', 'ignoreIndex', 'reduction']);
  const { weight, ignoreIndex = -100, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  if (!Number.isInteger(ignoreIndex)) throw new SimdnnError(`${op}: ignoreIndex must be an integer, got ${describe(ignoreIndex)}`);
  const { storage, values, owned } = classTargetValues(op, 'input', input, targets, ignoreIndex);
  if (owned) input.backend.free(storage);
  const w = weightValues(op, 'weight', input.backend, weight, c);
  if (w?.owned) input.backend.free(w.storage);
  // −w[y] at each row's target, 0 elsewhere: the loss is composed as Σ_c input·coefficients.
  const coefficients = new Float32Array(n * c);
  let divisor = 0;
  for (let i = 0; i < n; i++) {
    const y = values[i];
    if (y === ignoreIndex) continue;
    const wy = w ? w.values[y] : 1;
    coefficients[i * c + y] = -wy;
    divisor += wy;
  }
  const m = new Tensor(input.backend.fromValues(coefficients), input.shape, input.backend);
  const products = consumed(mul(input, m), m);
  if (reduction === 'none') return consumed(sum(products, 1), products);
  const total = consumed(sum(products), products);
  return reduction === 'sum' ? total : consumed(div(total, divisor), total);
}

/**
 * `result`, after arranging for `input` (an intermediate only this function holds) to be freed:
 * at once when nothing was recorded, else once backward() is done with it.
 */
function consumed(result: Tensor, input: Tensor): Tensor {
  if (result.gradFn) input.releaseAfterBackward = true;
  else input.dispose();
  return result;
}

/** Options of `binaryCrossEntropy`. */
export interface BinaryCrossEntropyOptions {
  /** Multiplies each element's loss; broadcast to the input's shape. */
  weight?: Weights;
  /** Default 'mean'. */
  reduction?: Reduction;
}

/**
 * Binary cross-entropy between probabilities `input` (each in [0, 1], e.g. after `sigmoid`) and
 * `target` of the same shape, as PyTorch's `F.binary_cross_entropy`: −w·(y·log x + (1 − y)·log(1 − x))
 * with each log clamped at −100. Prefer `binaryCrossEntropyWithLogits` on raw scores: it is stable.
 * Differentiable in both.
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  const op = 'binaryCrossEntropy';
  checkOptions(op, options, ['weight', 'reduction']);
  const { weight, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  const backend = input.backend;
  const check = (total: number) => {
    if (!Number.isNaN(total)) return;
    const x = input.toFloat32Array();
    const bad = x.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) throw new SimdnnError(`${op}: every input value must be a probability in [0, 1], got ${x[bad]} at index ${bad} (use binaryCrossEntropyWithLogits on raw scores)`);
  };
  return elementwiseLoss(op, input, target, weight, reduction, {
    forward: (out) => {
      const total = backend.bce(out, input.storage, target.storage, input.size);
      check(total);
      return total;
    },
    backward: (gx, gy, grad, stride, divisor) => backend.bceBackward(gx, gy, grad, stride, divisor, input.storage, target.storage, input.size),
  });
}

/** Options of `binaryCrossEntropyWithLogits`, PyTorch's in camelCase. */
export interface BinaryCrossEntropyWithLogitsOptions {
  /** Multiplies each element's loss; broadcast to the input's shape. */
  weight?: Weights;
  /** The positive examples' weight, per class: broadcast to the input's shape (typically [C] for [N, C]). */
  posWeight?: Weights;
  /** Default 'mean'. */
  reduction?: Reduction;
}

/**
 * Binary cross-entropy on logits (PyTorch's `F.binary_cross_entropy_with_logits`): sigmoid and
 * binary cross-entropy fused, in the stable form (1 − y)·x + lw·(log(e^−m + e^(−x−m)) + m) with
 * m = max(−x, 0) and lw = 1 + (posWeight − 1)·y, then times `weight`. For multi-label
 * classification and binary tasks. Differentiable in `input` and `target`.
 *
 * ```ts
 * const loss = sn.F.binaryCrossEntropyWithLogits(scores, labels, { posWeight: sn.tensor([3, 1, 1]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BinaryCrossEntropyWithLogitsOptions = {}): Tensor {
  const op = 'binaryCrossEntropyWithLogits';
  checkOptions(op, options, ['weight', 'posWeight', 'reduction']);
  const { weight, posWeight, reduction = 'mean' } = options;
  checkReduction(op, reduction);
  checkPair(op, input, target);
  const backend = input.backend;
  const pw = posWeight === undefined ? undefined : periodicWeights(op, 'posWeight', input, posWeight);
  const result = elementwiseLoss(op, input, target, weight, reduction, {
    forward: (out) => backend.bceWithLogits(out, input.storage, target.storage, pw?.storage, pw?.period ?? 1, input.size),
    backward: (gx, gy, grad, stride, divisor) =>
      backend.bceWithLogitsBackward(gx, gy, grad, stride, divisor, input.storage, target.storage, pw?.storage, pw?.period ?? 1, input.size),
  }, pw?.owned ? [pw.storage] : []);
  return result;
}

/** Options of `l1Loss` and `mseLoss`. */
export interface RegressionLossOptions {
  /** Default 'mean'. */
  reduction?: Reduction;
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1LossOptions extends RegressionLossOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/** Options of `huberLoss`. */
export interface HuberLossOptions extends RegressionLossOptions {
  /** Where the loss turns from quadratic to linear (default 1, > 0). */
  delta?: number;
}

/** Mean absolute error |a − b| (PyTorch's `F.l1_loss`); same shapes; differentiable in both (gradient 0 where a = b). */
export function l1Loss(a: Tensor, b: Tensor, options: RegressionLossOptions = {}): Tensor {
  const op = 'l1Loss';
  checkOptions(op, options, ['reduction']);
  return pointwise(op, 'l1', a, b, options.reduction ?? 'mean', 0);
}

/**
 * Smooth L1 loss (PyTorch's `F.smooth_l1_loss`): 0.5·d²/β where |d| < β, else |d| − 0.5·β, with
 * d = a − b. Same shapes; differentiable in both (with β = 0 the L1 loss, whose gradient at d = 0
 * is then −1, as PyTorch's).
 */
export function smoothL1Loss(a: Tensor, b: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  const op = 'smoothL1Loss';
  checkOptions(op, options, ['beta', 'reduction']);
  const { beta = 1, reduction = 'mean' } = options;
  if (!(typeof beta === 'number' && beta >= 0 && Number.isFinite(beta))) throw new SimdnnError(`${op}: beta must be a finite number ≥ 0, got ${describe(beta)}`);
  return pointwise(op, 'smoothL1', a, b, reduction, beta);
}

/**
 * Huber loss (PyTorch's `F.huber_loss`): 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ), with d = a − b.
 * Same shapes; differentiable in both.
 */
export function huberLoss(a: Tensor, b: Tensor, options: HuberLossOptions = {}): Tensor {
  const op = 'huberLoss';
  checkOptions(op, options, ['delta', 'reduction']);
  const { delta = 1, reduction = 'mean' } = options;
  if (!(typeof delta === 'number' && delta > 0 && Number.isFinite(delta))) throw new SimdnnError(`${op}: delta must be a finite number > 0, got ${describe(delta)}`);
  return pointwise(op, 'huber', a, b, reduction, delta);
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

/**
 * Squared error (a − b)², averaged by default (PyTorch's `F.mse_loss`). `a` and `b` have the same
 * shape; differentiable in both.
 */
export function mseLoss(a: Tensor, b: Tensor, options: RegressionLossOptions = {}): Tensor {
  const op = 'mseLoss';
  checkOptions(op, options, ['reduction']);
  const { reduction = 'mean' } = options;
  checkReduction(op, reduction);
  if (!sameShape(a.shape, b.shape)) {
    throw new SimdnnError(`mseLoss: input and target shapes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.backend !== b.backend) {
    throw new SimdnnError(`mseLoss: input and target live on different backends ('${a.backend.name}' and '${b.backend.name}')`);
  }
  if (reduction !== 'mean') return pointwise(op, 'squared', a, b, reduction, 0);
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

/** An elementwise regression loss of d = a − b through the pointwise primitives. */
function pointwise(op: string, kind: PointwiseLoss, a: Tensor, b: Tensor, reduction: Reduction, param: number): Tensor {
  checkReduction(op, reduction);
  checkPair(op, a, b);
  const backend = a.backend;
  return elementwiseLoss(op, a, b, undefined, reduction, {
    forward: (out) => backend.pointwiseLoss(kind, out, a.storage, b.storage, a.size, param),
    backward: (ga, gb, grad, stride, divisor) => backend.pointwiseLossBackward(kind, ga, gb, grad, stride, divisor, a.storage, b.storage, a.size, param),
  });
}

/** A fused elementwise loss: its forward (writing `out` if given, returning the sum) and backward. */
interface ElementwiseKernels {
  forward(out: Storage | undefined): number;
  backward(gx: Storage | undefined, gy: Storage | undefined, grad: Storage, gradStride: 0 | 1, divisor: number): void;
}

/**
 * An elementwise loss of (x, y) reduced as asked. Without `weight` the kernels reduce themselves
 * (one pass, the sum in f64); with one, the per-element losses are multiplied by it and reduced by
 * tensor ops (PyTorch's loss.mul_(weight) then the reduction; no gradient flows to the weight).
 */
function elementwiseLoss(op: string, x: Tensor, y: Tensor, weight: Weights | undefined, reduction: Reduction, kernels: ElementwiseKernels, scratch: Storage[] = []): Tensor {
  const backend = x.backend;
  const size = x.size;
  const weighted = weight !== undefined;
  let w: Tensor | undefined;
  if (weighted) {
    w = weight instanceof Tensor ? weight.detach() : weightTensor(op, 'weight', backend, weight);
    sameBackend(op, 'input', x, w);
    if (!sameShape(broadcastShapes(x.shape, w.shape) ?? [], x.shape)) {
      throw new SimdnnError(`${op}: weight of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(x.shape)}`);
    }
  }
  const perElement = weighted || reduction === 'none';
  const out = perElement ? backend.empty(size) : undefined;
  const total = kernels.forward(out);
  const divisor = perElement || reduction === 'sum' ? 1 : size;
  const result = out ? new Tensor(out, x.shape, backend) : new Tensor(backend.fromValues([total / divisor]), [], backend);
  const loss = recordOp(op, result, [x, y], (gy) => {
    const gx = x.requiresGrad ? backend.empty(size) : undefined;
    const gt = y.requiresGrad ? backend.empty(size) : undefined;
    kernels.backward(gx, gt, gy.storage, perElement ? 1 : 0, divisor);
    return [gx && new Tensor(gx, x.shape, backend), gt && new Tensor(gt, y.shape, backend)];
  }, scratch);
  if (!w) return loss;
  const product = consumed(mul(loss, w), loss);
  if (!(weight instanceof Tensor)) consumed(product, w);
  return reduction === 'none' ? product : consumed(reduction === 'sum' ? sum(product) : mean(product), product);
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
  return classTargetValues(op, name, scores, targets, undefined).storage;
}

/**
 * The class-index targets checked (one per row, each an integer in [0, C) or `ignoreIndex`), as
 * storage on the scores' backend (`owned` when made here from plain numbers) and as host values.
 */
function classTargetValues(op: string, name: string, scores: Tensor, targets: ClassTargets, ignoreIndex: number | undefined): { storage: Storage; values: ArrayLike<number>; owned: boolean } {
  const [n, c] = scores.shape;
  let values: ArrayLike<number>;
  if (targets instanceof Tensor) {
    if (targets.ndim !== 1 || targets.shape[0] !== n) {
      const probabilities = op === 'crossEntropy' ? `; probability targets have the ${name}' shape` : '';
      throw new SimdnnError(`${op}: targets of shape ${formatShape(targets.shape)} do not match ${name} of shape ${formatShape(scores.shape)} (expected [${n}])${probabilities}`);
    }
    if (targets.backend !== scores.backend) {
      throw new SimdnnError(`${op}: ${name} and targets live on different backends ('${scores.backend.name}' and '${targets.backend.name}')`);
    }
    values = targets.toFloat32Array();
  } else {
    if (targets == null || typeof (targets as ArrayLike<number>).length !== 'number') {
      throw new SimdnnError(`${op}: targets must be a tensor or an array of class indices, got ${describe(targets)}`);
    }
    if (targets.length !== n) {
      throw new SimdnnError(`${op}: ${targets.length} targets given for ${name} of shape ${formatShape(scores.shape)} (expected ${n})`);
    }
    values = targets;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && ((v >= 0 && v < c) || v === ignoreIndex))) {
      const also = ignoreIndex === undefined ? '' : ` (nor ignoreIndex ${ignoreIndex})`;
      throw new SimdnnError(`${op}: target at index ${i} is ${v}, not a class index in [0, ${c}) for ${name} of shape ${formatShape(scores.shape)}${also}`);
    }
  }
  const owned = !(targets instanceof Tensor);
  return { storage: owned ? scores.backend.fromValues(values) : targets.storage, values, owned };
}

/** Class weights [c] as host values and backend storage (`owned` when made here), or undefined. */
function weightValues(op: string, name: string, backend: Backend, weight: Weights | undefined, c: number): { values: Float32Array; storage: Storage; owned: boolean } | undefined {
  if (weight === undefined) return undefined;
  const t = weight instanceof Tensor ? weight : undefined;
  if (t && t.backend !== backend) throw new SimdnnError(`${op}: ${name} lives on '${t.backend.name}', the input on '${backend.name}'`);
  const values = t ? t.toFloat32Array() : Float32Array.from(checkNumbers(op, name, weight));
  if ((t && t.ndim !== 1) || values.length !== c) {
    throw new SimdnnError(`${op}: ${name} must hold one value per class (${c}), got ${t ? `shape ${formatShape(t.shape)}` : `${values.length} values`}`);
  }
  return t ? { values, storage: t.storage, owned: false } : { values, storage: backend.fromValues(values), owned: true };
}

/** Plain numbers as a 1-D tensor on `backend` (a tensor is returned as it is). */
function weightTensor(op: string, name: string, backend: Backend, weight: Weights): Tensor {
  if (weight instanceof Tensor) return weight;
  const values = checkNumbers(op, name, weight);
  return new Tensor(backend.fromValues(values), [values.length], backend);
}

function checkNumbers(op: string, name: string, values: unknown): ArrayLike<number> {
  const ok = values != null && typeof (values as ArrayLike<number>).length === 'number' && typeof values !== 'string'
    && Array.from(values as ArrayLike<unknown>).every((v) => typeof v === 'number');
  if (!ok) throw new SimdnnError(`${op}: ${name} must be a tensor or an array of numbers, got ${describe(values)}`);
  return values as ArrayLike<number>;
}

/**
 * posWeight as values repeating with a period over the input's elements: one value (period 1), or
 * the input's trailing dimensions (e.g. [C] for [N, C]); any other broadcastable shape is expanded
 * to the input's shape (`owned`: freed after use).
 */
function periodicWeights(op: string, name: string, input: Tensor, weights: Weights): { storage: Storage; period: number; owned: boolean } {
  const backend = input.backend;
  const w = weightTensor(op, name, backend, weights);
  sameBackend(op, 'input', input, w);
  if (!sameShape(broadcastShapes(input.shape, w.shape) ?? [], input.shape)) {
    throw new SimdnnError(`${op}: ${name} of shape ${formatShape(w.shape)} does not broadcast to the input's shape ${formatShape(input.shape)}`);
  }
  const dims = [...w.shape];
  while (dims.length > 0 && dims[0] === 1) dims.shift();
  if (w.size === 1 || sameShape(dims, input.shape.slice(input.ndim - dims.length))) return { storage: w.storage, period: w.size, owned: false };
  const expanded = binaryRaw('add', new Tensor(backend.alloc(input.size), input.shape, backend), w);
  return { storage: expanded.storage, period: input.size, owned: true };
}

/** A one-value tensor (the sum, or the mean: total / divisor) or the per-row values themselves. */
function reducedOutput(backend: Backend, reduction: Reduction, rows: Storage, shape: number[], total: number, divisor: number): Tensor {
  if (reduction === 'none') return new Tensor(rows, shape, backend);
  return new Tensor(backend.fromValues([reduction === 'sum' ? total : total / divisor]), [], backend);
}

function checkReduction(op: string, reduction: unknown): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new SimdnnError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${describe(reduction)}`);
  }
}

function checkOptions(op: string, options: unknown, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SimdnnError(`${op}: options must be an object (${allowed.join(', ')}), got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new SimdnnError(`${op}: unknown option '${key}'; the options are ${allowed.join(', ')}`);
  }
}

/** Input and target: tensors of the same shape on the same backend. */
function checkPair(op: string, input: Tensor, target: Tensor): void {
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new SimdnnError(`${op}: input and target must be tensors`);
  if (!sameShape(input.shape, target.shape)) {
    throw new SimdnnError(`${op}: input and target shapes differ: ${formatShape(input.shape)} and ${formatShape(target.shape)}`);
  }
  sameBackend(op, 'input', input, target);
}

function sameBackend(op: string, name: string, a: Tensor, b: Tensor): void {
  if (a.backend !== b.backend) throw new SimdnnError(`${op}: ${name} and target live on different backends ('${a.backend.name}' and '${b.backend.name}')`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Tensor) return value.toString();
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}

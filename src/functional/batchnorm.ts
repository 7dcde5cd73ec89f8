import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Options of `batchNorm` and `batchNorm2d`, as PyTorch's `F.batch_norm`. */
export interface BatchNormFunctionalOptions {
  /** Normalise with this batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the batch in the running statistics' update (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** The options of `batchNorm2d` (the same as `batchNorm`'s). */
export type BatchNorm2dFunctionalOptions = BatchNormFunctionalOptions;

/**
 * Batch normalisation of `x` [N, C, H, W] per channel: `batchNorm` for 4-D input (BatchNorm2d's).
 */
export function batchNorm2d(
  x: Tensor, runningMean: Tensor, runningVar: Tensor, weight?: Tensor, bias?: Tensor, options: BatchNormFunctionalOptions = {},
): Tensor {
  if (x.ndim !== 4) throw new SimdnnError(`batchNorm2d: input must have shape [N, C, H, W], got ${formatShape(x.shape)}`);
  return normalize('batchNorm2d', x, runningMean, runningVar, weight, bias, options);
}

/**
 * Batch normalisation of `x` [N, C, …] (e.g. [N, C], [N, C, L] or [N, C, H, W]) per channel C,
 * over the batch and every dimension after C, as PyTorch's `F.batch_norm`:
 * y = (x − mean) / √(var + eps) · weight + bias. In training, mean and var are the batch's (biased
 * variance) and `runningMean`/`runningVar` [C] are updated in place, outside any graph, as
 * r ← (1 − momentum)·r + momentum·batch with the unbiased variance; in eval the running statistics
 * are used. `weight` and `bias` [C] are optional (1 and 0). Differentiable in x, weight and bias.
 */
export function batchNorm(
  x: Tensor, runningMean: Tensor, runningVar: Tensor, weight?: Tensor, bias?: Tensor, options: BatchNormFunctionalOptions = {},
): Tensor {
  if (x.ndim < 2) throw new SimdnnError(`batchNorm: input must have shape [N, C, …], got ${formatShape(x.shape)}`);
  return normalize('batchNorm', x, runningMean, runningVar, weight, bias, options);
}

function normalize(
  op: string, x: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor | undefined, bias: Tensor | undefined,
  { training = false, momentum = 0.1, eps = 1e-5 }: BatchNormFunctionalOptions,
): Tensor {
  const n = x.shape[0];
  const c = x.shape[1];
  const hw = shapeSize(x.shape.slice(2));
  checkPerChannel(op, 'runningMean', runningMean, x);
  checkPerChannel(op, 'runningVar', runningVar, x);
  checkPerChannel(op, 'weight', weight, x);
  checkPerChannel(op, 'bias', bias, x);
  if (training && n * hw <= 1) {
    throw new SimdnnError(`${op}: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
  const backend = x.backend;
  let mean = runningMean.storage;
  let variance = runningVar.storage;
  // The statistics and the output are written whole by the kernels: no zero-fill.
  if (training) {
    mean = backend.empty(c);
    variance = backend.empty(c);
    backend.batchNormStats({ n, c, hw, x: x.storage, mean, variance, runningMean: runningMean.storage, runningVar: runningVar.storage, momentum });
  }
  const y = backend.empty(x.size);
  backend.batchNormForward({ n, c, hw, y, x: x.storage, mean, variance, weight: weight?.storage, bias: bias?.storage, eps });
  return recordOp(op, new Tensor(y, x.shape, backend), [x, weight, bias], (gy) => {
    const gx = x.requiresGrad ? backend.alloc(x.size) : undefined;
    const gw = weight?.requiresGrad ? backend.alloc(c) : undefined;
    const gb = bias?.requiresGrad ? backend.alloc(c) : undefined;
    backend.batchNormBackward({
      n, c, hw, gradY: gy.storage, x: x.storage, mean, variance, weight: weight?.storage, eps, training,
      gradX: gx, gradWeight: gw, gradBias: gb,
    });
    return [gx && new Tensor(gx, x.shape, backend), gw && new Tensor(gw, [c], backend), gb && new Tensor(gb, [c], backend)];
  }, training ? [mean, variance] : []);
}

/** Throws unless the per-channel tensor `t` (when given) is [C] for input x [N, C, …] and on x's backend. */
function checkPerChannel(op: string, name: string, t: Tensor | undefined, x: Tensor): void {
  if (!t) return;
  const c = x.shape[1];
  if (t.ndim !== 1 || t.shape[0] !== c) {
    throw new SimdnnError(`${op}: ${name} of shape ${formatShape(t.shape)} does not match the ${c} channels of input ${formatShape(x.shape)} (expected [${c}])`);
  }
  if (t.backend !== x.backend) {
    throw new SimdnnError(`${op}: input and ${name} live on different backends ('${x.backend.name}' and '${t.backend.name}')`);
  }
}

// BatchNormalization and Dropout: the operators whose behaviour follows the module's train()/eval().
import * as sn from '../../index.js';
import { hostNumbers } from '../host-tensor.js';
import type { LoadContext, OpSpec } from './op.js';

/**
 * `BatchNormalization` over inputs of rank 2 to 4 ([N, C, …]): batch statistics and an update of the
 * running ones (the initializers at inputs 3 and 4, which become buffers) in training mode, the running
 * statistics in eval mode, whatever the node's `training_mode` says. ONNX's momentum weighs the old
 * running value (PyTorch's is 1 − it).
 */
const batchNormalization: OpSpec = {
  inputs: [5, 5],
  attributes: ['epsilon', 'momentum', 'training_mode'],
  bufferInputs: [3, 4],
  build: (ctx) => {
    const eps = ctx.attrs.float('epsilon', 1e-5);
    const momentum = 1 - ctx.attrs.float('momentum', 0.9);
    return ([x, scale, bias, mean, variance], run) => {
      const options = { training: run.training, momentum, eps };
      if (x!.ndim === 4) return [sn.F.batchNorm2d(x!, mean!, variance!, scale, bias, options)];
      const shape = [...x!.shape];
      if (shape.length < 2 || shape.length > 4) ctx.fail(`input of rank ${shape.length} is unsupported (2 to 4)`);
      const y = sn.F.batchNorm2d(x!.reshape([...shape, 1, 1].slice(0, 4)), mean!, variance!, scale, bias, options);
      return [y.reshape(shape)];
    };
  },
};

/** Dropout's ratio: an attribute before opset 12, an optional constant input since (default 0.5). */
function dropoutRatio(ctx: LoadContext): number {
  if (ctx.opset < 12) return ctx.attrs.float('ratio', 0.5);
  if (!ctx.has(1)) return 0.5;
  const ratio = hostNumbers(ctx.requireConstant(1, 'ratio'), 'ratio');
  if (ratio.length !== 1) ctx.fail('ratio must be a scalar');
  return ratio[0];
}

/**
 * `Dropout`: active in training mode, the identity in eval mode (the node's `training_mode` input and
 * `seed` are not followed: the module's mode and sn.manualSeed decide).
 */
const dropout: OpSpec = {
  inputs: [1, 3],
  attributes: ['ratio', 'seed'],
  staticInputs: [1, 2],
  build: (ctx) => {
    const ratio = dropoutRatio(ctx);
    return ([x], run) => [sn.F.dropout(x!, ratio, run.training)];
  },
};

/** Normalisation and regularisation operators by ONNX op type. */
export const NORMALIZATION_OPS: Record<string, OpSpec> = {
  BatchNormalization: batchNormalization,
  Dropout: dropout,
};

// ReduceMean and ReduceSum over constant axes (PyTorch's x.mean((2, 3)) exports ReduceMean).
import * as sn from '../../index.js';
import { hostNumbers } from '../host-tensor.js';
import { normalizeAxis } from './axes.js';
import type { LoadContext, OpSpec } from './op.js';

/** The axes reduced: an attribute, or an input (ReduceSum from opset 13, ReduceMean from 18); absent: all. */
function reduceAxes(ctx: LoadContext, inputSince: number): readonly number[] | undefined {
  if (ctx.opset < inputSince) return ctx.attrs.ints('axes', undefined);
  if (ctx.attrs.has('axes')) ctx.fail(`attribute "axes" is an input since opset ${inputSince}`);
  return ctx.has(1) ? hostNumbers(ctx.requireConstant(1, 'axes'), 'axes') : undefined;
}

function reduce(f: (x: sn.Tensor, dim: number, keepdim: boolean) => sn.Tensor, inputSince: number): OpSpec {
  return {
    inputs: [1, 2],
    attributes: ['axes', 'keepdims', 'noop_with_empty_axes'],
    staticInputs: [1],
    rank: (ctx) => {
      const rank = ctx.rank(0);
      const axes = reduceAxes(ctx, inputSince);
      if (ctx.attrs.int('keepdims', 1) === 1 || rank === undefined) return [rank];
      return [axes ? rank - axes.length : 0];
    },
    build: (ctx) => {
      const axes = reduceAxes(ctx, inputSince);
      const keepdims = ctx.attrs.int('keepdims', 1) === 1;
      if (ctx.attrs.int('noop_with_empty_axes', 0) === 1 && (!axes || axes.length === 0)) ctx.fail('noop_with_empty_axes = 1 is unsupported');
      return ([x]) => {
        const dims = [...new Set((axes ?? x!.shape.map((_, i) => i)).map((a) => normalizeAxis(ctx, a, x!.ndim, 'axes entry')))];
        // From the last axis down, so that the indices of those still to reduce stay valid without keepdims.
        return [dims.sort((a, b) => b - a).reduce((y, d) => f(y, d, keepdims), x!)];
      };
    },
  };
}

/** Reductions by ONNX op type. */
export const REDUCE_OPS: Record<string, OpSpec> = {
  ReduceMean: reduce(sn.mean, 18),
  ReduceSum: reduce(sn.sum, 13),
};

// Conv (1-D and 2-D, groups, dilations, pads, strides, auto_pad).
import * as sn from '../../index.js';
import type { OpSpec } from './op.js';
import { as4d, fromAs4d, readWindow, spatialRank } from './window.js';
import { padWindow } from './window-padding.js';

/** `Conv`: X [N, C, …], W [K, C/group, …kernel], optional B [K]. */
const conv: OpSpec = {
  inputs: [2, 3],
  attributes: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'],
  build: (ctx) => {
    const weightDims = ctx.constant(1)?.dims;
    const n = spatialRank(ctx, weightDims && weightDims.length - 2);
    const window = readWindow(ctx, n, weightDims?.slice(2));
    const groups = ctx.attrs.int('group', 1);
    return ([x, w, b]) => {
      const { input, padding } = padWindow(ctx, as4d(x!), window, 0);
      const y = sn.F.conv2d(input, as4d(w!), b, { stride: window.strides, padding, dilation: window.dilations, groups });
      return [fromAs4d(y, x!.ndim)];
    };
  },
};

/**
 * `ConvTranspose`: X [N, C, …], W [C, K/group, …kernel], optional B [K]; explicit pads (asymmetric
 * ones crop the output) and output_padding. output_shape and SAME auto_pad are unsupported.
 */
const convTranspose: OpSpec = {
  inputs: [2, 3],
  attributes: ['auto_pad', 'dilations', 'group', 'kernel_shape', 'output_padding', 'output_shape', 'pads', 'strides'],
  build: (ctx) => {
    const weightDims = ctx.constant(1)?.dims;
    const n = spatialRank(ctx, weightDims && weightDims.length - 2);
    const window = readWindow(ctx, n, weightDims?.slice(2));
    if (ctx.attrs.has('output_shape')) ctx.fail('attribute "output_shape" is unsupported (give pads and output_padding)');
    if (ctx.attrs.string('auto_pad', 'NOTSET').startsWith('SAME')) ctx.fail('auto_pad SAME_UPPER/SAME_LOWER is unsupported');
    const extra = ctx.attrs.ints('output_padding', Array(n).fill(0))!;
    const outputPadding: [number, number] = n === 1 ? [0, extra[0]] : [extra[0], extra[1]];
    const groups = ctx.attrs.int('group', 1);
    return ([x, w, b]) => {
      const { begin, end } = window.pads([0, 0]);
      const symmetric = begin[0] === end[0] && begin[1] === end[1];
      const options = { stride: window.strides, dilation: window.dilations, outputPadding, groups, padding: symmetric ? begin : [0, 0] as [number, number] };
      let y = sn.F.convTranspose2d(as4d(x!), as4d(w!), b, options);
      if (!symmetric) y = sn.F.pad(y, [-begin[1], -end[1], -begin[0], -end[0]]);
      return [fromAs4d(y, x!.ndim)];
    };
  },
};

/** Convolution operators by ONNX op type. */
export const CONV_OPS: Record<string, OpSpec> = {
  Conv: conv,
  ConvTranspose: convTranspose,
};

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

/** Convolution operators by ONNX op type. */
export const CONV_OPS: Record<string, OpSpec> = {
  Conv: conv,
};

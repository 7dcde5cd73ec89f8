// MaxPool, AveragePool (count_include_pad), GlobalAveragePool, GlobalMaxPool over 1-D and 2-D windows.
import * as sn from '../../index.js';
import type { LoadContext, OpSpec } from './op.js';
import { as4d, fromAs4d, readWindow, spatialRank, type Window } from './window.js';
import { padWindow } from './window-padding.js';

const POOL_ATTRIBUTES = ['auto_pad', 'ceil_mode', 'kernel_shape', 'pads', 'strides'];

/** The window of a pooling node (kernel_shape is required; dilations other than 1 are unsupported). */
function poolWindow(ctx: LoadContext): Window {
  const n = spatialRank(ctx, ctx.attrs.ints('kernel_shape', undefined)?.length);
  const window = readWindow(ctx, n, undefined);
  if (window.dilations.some((d) => d !== 1)) ctx.fail(`dilations [${window.dilations.join(', ')}] are unsupported for pooling`);
  return window;
}

/** `MaxPool` (the optional Indices output is unsupported); padding and the ceil_mode overhang count as −∞. */
const maxPool: OpSpec = {
  inputs: [1, 1],
  attributes: [...POOL_ATTRIBUTES, 'dilations', 'storage_order'],
  build: (ctx) => {
    const window = poolWindow(ctx);
    const ceilMode = ctx.attrs.int('ceil_mode', 0) === 1;
    return ([x]) => {
      const { input, padding } = padWindow(ctx, as4d(x!), window, -Infinity, { ceilMode, pool: true });
      return [fromAs4d(sn.F.maxPool2d(input, { kernelSize: window.kernel, stride: window.strides, padding }), x!.ndim)];
    };
  },
};

/**
 * `AveragePool`: with count_include_pad = 0 (ONNX's default) a window is divided by the number of its
 * elements inside the input, computed by pooling a plane of ones the same way.
 */
const averagePool: OpSpec = {
  inputs: [1, 1],
  attributes: [...POOL_ATTRIBUTES, 'count_include_pad'],
  build: (ctx) => {
    const window = poolWindow(ctx);
    const ceilMode = ctx.attrs.int('ceil_mode', 0) === 1;
    const includePad = ctx.attrs.int('count_include_pad', 0) === 1;
    const pool = (t: sn.Tensor) => {
      const { input, padding } = padWindow(ctx, t, window, 0, { ceilMode, pool: true, average: true });
      return { y: sn.F.avgPool2d(input, { kernelSize: window.kernel, stride: window.strides, padding }), padded: input !== t || padding.some((p) => p > 0) };
    };
    return ([x]) => {
      const x4 = as4d(x!);
      const { y, padded } = pool(x4);
      if (includePad || !padded) return [fromAs4d(y, x!.ndim)];
      const fraction = pool(sn.ones([1, 1, x4.shape[2], x4.shape[3]])).y; // (elements inside) / (window size)
      return [fromAs4d(sn.div(y, fraction), x!.ndim)];
    };
  },
};

/** GlobalAveragePool and GlobalMaxPool: one window over all of [H, W] (or L). */
function globalPool(f: typeof sn.F.avgPool2d): OpSpec {
  return {
    inputs: [1, 1],
    attributes: [],
    build: (ctx) => ([x]) => {
      if (x!.ndim !== 3 && x!.ndim !== 4) ctx.fail(`input of rank ${x!.ndim} is unsupported (3-D [N, C, L] or 4-D [N, C, H, W])`);
      const x4 = as4d(x!);
      return [fromAs4d(f(x4, { kernelSize: [x4.shape[2], x4.shape[3]] }), x!.ndim)];
    },
  };
}

/** Pooling operators by ONNX op type. */
export const POOL_OPS: Record<string, OpSpec> = {
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalPool(sn.F.avgPool2d),
  GlobalMaxPool: globalPool(sn.F.maxPool2d),
};

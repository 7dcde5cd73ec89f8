// The sliding-window attributes shared by Conv, ConvTranspose and the poolings, for 1-D and 2-D
// windows (inputs [N, C, L] run as [N, C, 1, L]).
import type * as sn from '../../index.js';
import type { LoadContext } from './op.js';

/** A window's geometry over two spatial axes [h, w] (a 1-D window has h = 1). */
export interface Window {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  /** The padding before and after each axis for an input of spatial size [h, w]. */
  pads(size: readonly [number, number]): { begin: [number, number]; end: [number, number] };
}

/** A list over the spatial axes of a 1-D or 2-D window as [h, w]. */
function asPair(ctx: LoadContext, name: string, values: readonly number[], n: number, min: number): [number, number] {
  if (values.length !== n || values.some((v) => !Number.isInteger(v) || v < min)) {
    ctx.fail(`attribute "${name}" [${values.join(', ')}] must list ${n} integers ≥ ${min}`);
  }
  return n === 1 ? [min === 0 ? 0 : 1, values[0]] : [values[0], values[1]];
}

/**
 * Reads kernel_shape (or `kernel`, the weights' spatial size), strides, dilations, pads and auto_pad
 * (NOTSET, VALID, SAME_UPPER, SAME_LOWER) for `n` spatial axes (1 or 2).
 */
export function readWindow(ctx: LoadContext, n: number, kernel: readonly number[] | undefined): Window {
  if (n !== 1 && n !== 2) ctx.fail(`${n}-D windows are unsupported (1-D and 2-D)`);
  const shape = ctx.attrs.ints('kernel_shape', kernel) ?? ctx.fail('needs kernel_shape');
  const k = asPair(ctx, 'kernel_shape', shape, n, 1);
  const strides = asPair(ctx, 'strides', ctx.attrs.ints('strides', Array(n).fill(1))!, n, 1);
  const dilations = asPair(ctx, 'dilations', ctx.attrs.ints('dilations', Array(n).fill(1))!, n, 1);
  const autoPad = ctx.attrs.string('auto_pad', 'NOTSET');
  const explicit = ctx.attrs.ints('pads', Array(2 * n).fill(0))!;
  if (explicit.length !== 2 * n || explicit.some((p) => !Number.isInteger(p) || p < 0)) {
    ctx.fail(`attribute "pads" [${explicit.join(', ')}] must list ${2 * n} integers ≥ 0`);
  }
  const begin = asPair(ctx, 'pads', explicit.slice(0, n), n, 0);
  const end = asPair(ctx, 'pads', explicit.slice(n), n, 0);
  const span = (axis: 0 | 1) => dilations[axis] * (k[axis] - 1) + 1;
  let pads: Window['pads'];
  switch (autoPad) {
    case 'NOTSET': pads = () => ({ begin: [...begin], end: [...end] }); break;
    case 'VALID': pads = () => ({ begin: [0, 0], end: [0, 0] }); break;
    case 'SAME_UPPER':
    case 'SAME_LOWER':
      pads = (size) => {
        const total = ([0, 1] as const).map((a) => Math.max(0, (Math.ceil(size[a] / strides[a]) - 1) * strides[a] + span(a) - size[a]));
        const before = total.map((t) => (autoPad === 'SAME_UPPER' ? Math.floor(t / 2) : Math.ceil(t / 2)));
        return { begin: [before[0], before[1]], end: [total[0] - before[0], total[1] - before[1]] };
      };
      break;
    default: return ctx.fail(`auto_pad "${autoPad}" is unsupported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)`);
  }
  return { kernel: k, strides, dilations, pads };
}

/** The spatial rank (1 or 2) of a node whose input 0 is [N, C, …spatial]. */
export function spatialRank(ctx: LoadContext, fallback: number | undefined): number {
  const rank = ctx.rank(0);
  const n = rank !== undefined ? rank - 2 : fallback;
  if (n !== 1 && n !== 2) ctx.fail(`input of rank ${rank ?? 'unknown'} is unsupported (3-D [N, C, L] or 4-D [N, C, H, W])`);
  return n;
}

/** An input [N, C, L] as [N, C, 1, L]; a 4-D input as it is. */
export function as4d(x: sn.Tensor): sn.Tensor {
  return x.ndim === 3 ? x.reshape(x.shape[0], x.shape[1], 1, x.shape[2]) : x;
}

/** A 4-D result back to the rank of the node's input (drops the height of a 1-D window). */
export function fromAs4d(y: sn.Tensor, inputRank: number): sn.Tensor {
  return inputRank === 3 ? y.reshape(y.shape[0], y.shape[1], y.shape[3]) : y;
}

// Layout operators on run-time tensors: Transpose, Concat, Pad, and Gather and Slice with constant
// indices (their forms on constants are folded in shape.ts).
import * as sn from '../../index.js';
import { hostNumbers } from '../host-tensor.js';
import { normalizeAxis, requireRank } from './axes.js';
import type { LoadContext, OpSpec } from './op.js';
import { SHAPE_OPS, slicePicks } from './shape.js';

/** `Transpose` by `perm` (default: reversed axes). */
const transpose: OpSpec = {
  inputs: [1, 1],
  attributes: ['perm'],
  build: (ctx) => {
    const perm = ctx.attrs.ints('perm', undefined);
    return ([x]) => [sn.permute(x!, perm ?? x!.shape.map((_, i) => x!.ndim - 1 - i))];
  },
};

/** `Concat` of run-time tensors along `axis` (constants are folded). */
const concat: OpSpec = {
  ...SHAPE_OPS.Concat,
  build: (ctx) => {
    const axis = ctx.attrs.int('axis', 0);
    return (parts) => [sn.cat(parts as sn.Tensor[], axis)];
  },
};

/** `Gather` of a run-time tensor at constant indices: one slice per index along `axis`, concatenated. */
const gather: OpSpec = {
  ...SHAPE_OPS.Gather,
  staticInputs: [1],
  rank: (ctx) => [requireRank(ctx, 0) - 1 + ctx.requireConstant(1, 'indices').dims.length],
  build: (ctx) => {
    const indices = ctx.requireConstant(1, 'indices');
    const index = hostNumbers(indices, 'indices');
    const axisAttr = ctx.attrs.int('axis', 0);
    return ([x]) => {
      const axis = normalizeAxis(ctx, axisAttr, x!.ndim);
      const n = x!.shape[axis];
      const parts = index.map((i) => {
        if (!Number.isInteger(i) || i < -n || i >= n) ctx.fail(`index ${i} is out of range for axis ${axis} of size ${n}`);
        return sn.narrow(x!, axis, i < 0 ? i + n : i, 1);
      });
      const y = parts.length === 1 ? parts[0] : sn.cat(parts, axis);
      return [y.reshape([...x!.shape.slice(0, axis), ...indices.dims, ...x!.shape.slice(axis + 1)])];
    };
  },
};

/** `Slice` of a run-time tensor with constant starts, ends, axes and positive steps. */
const slice: OpSpec = {
  ...SHAPE_OPS.Slice,
  build: (ctx) => ([x]) => {
    const picks = slicePicks(ctx, x!.shape);
    let y = x!;
    picks.forEach((kept, axis) => {
      if (kept.length === x!.shape[axis]) return;
      const step = kept.length > 1 ? kept[1] - kept[0] : 1;
      if (step < 0) ctx.fail('negative steps are unsupported on run-time tensors');
      const start = kept[0] ?? 0;
      y = sn.slice(y, axis, start, start + kept.length * step, step);
    });
    return [y];
  },
};

/** Pad's amounts as sn.F.pad takes them: (before, after) pairs from the last axis. */
function padAmounts(ctx: LoadContext, rank: number): number[] {
  const pads = hostNumbers(ctx.requireConstant(1, 'pads'), 'pads');
  const axes = ctx.has(3) ? hostNumbers(ctx.requireConstant(3, 'axes'), 'axes').map((a) => normalizeAxis(ctx, a, rank, 'axes entry')) : [...Array(rank).keys()];
  if (pads.length !== 2 * axes.length) ctx.fail(`pads [${pads.join(', ')}] must hold 2 × ${axes.length} values`);
  const out = Array(2 * rank).fill(0);
  axes.forEach((axis, k) => {
    out[2 * (rank - 1 - axis)] = pads[k];
    out[2 * (rank - 1 - axis) + 1] = pads[k + axes.length];
  });
  return out;
}

/** `Pad` in constant mode (reflect, edge and wrap are unsupported), pads and value as constant inputs. */
const pad: OpSpec = {
  inputs: [2, 4],
  attributes: ['mode'],
  staticInputs: [1, 2, 3],
  build: (ctx) => {
    const mode = ctx.attrs.string('mode', 'constant');
    if (mode !== 'constant') ctx.fail(`mode "${mode}" is unsupported (only "constant")`);
    const value = ctx.has(2) ? hostNumbers(ctx.requireConstant(2, 'constant_value'), 'constant_value')[0] ?? 0 : 0;
    return ([x]) => [sn.F.pad(x!, padAmounts(ctx, x!.ndim), value)];
  },
};

/** Layout operators by ONNX op type (their constant forms fold as in shape.ts). */
export const LAYOUT_OPS: Record<string, OpSpec> = {
  Transpose: transpose,
  Concat: concat,
  Gather: gather,
  Slice: slice,
  Pad: pad,
};

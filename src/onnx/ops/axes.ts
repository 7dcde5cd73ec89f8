import type { LoadContext } from './op.js';

/** `axis` in [−rank, rank) as an index in [0, rank); the node's error otherwise. */
export function normalizeAxis(ctx: LoadContext, axis: number, rank: number, name = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) ctx.fail(`${name} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** The rank of input `i`, which the operator needs at load time. */
export function requireRank(ctx: LoadContext, i: number): number {
  const rank = ctx.rank(i);
  if (rank === undefined) ctx.fail(`the rank of input "${ctx.node.inputs[i]}" is unknown at load time, which this operator needs`);
  return rank;
}

/** Row-major strides of `dims`. */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = dims.map(() => 1);
  for (let d = dims.length - 2; d >= 0; d--) strides[d] = strides[d + 1] * dims[d + 1];
  return strides;
}

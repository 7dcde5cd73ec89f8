// Shape and layout operators. On constants (integer shape arithmetic, such as the Shape → Gather →
// Unsqueeze → Concat chain that `x.view(x.size(0), -1)` exports) they run at load time on host
// tensors whose entries may be run-time dimensions (DimRef); on run-time tensors they are views.
import { dataTypeName, hostDType, hostNumbers, type HostTensor, type Scalar } from '../host-tensor.js';
import { normalizeAxis, requireRank, stridesOf } from './axes.js';
import type { LoadContext, OpSpec, RunContext } from './op.js';

const product = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

/** `Constant`: the value of its one value attribute. */
const constant: OpSpec = {
  inputs: [0, 0],
  attributes: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
  fold: (ctx) => {
    const { attrs } = ctx;
    if (attrs.has('value')) return [attrs.tensor('value')!];
    if (attrs.has('value_float')) return [{ dtype: 'float', dims: [], data: [attrs.float('value_float', 0)] }];
    if (attrs.has('value_int')) return [{ dtype: 'int', dims: [], data: [attrs.int('value_int', 0)] }];
    const floats = attrs.floats('value_floats', undefined);
    if (floats) return [{ dtype: 'float', dims: [floats.length], data: floats }];
    const ints = attrs.ints('value_ints', undefined);
    if (ints) return [{ dtype: 'int', dims: [ints.length], data: ints }];
    return ctx.fail('has no value attribute');
  },
};

/** `Identity` (and the run-time form of every view that changes nothing). */
const identity: OpSpec = {
  inputs: [1, 1],
  attributes: [],
  fold: (_, [x]) => [x!],
  build: () => ([x]) => [x!],
};

/** `Shape`: a host tensor of the input's dimensions, as run-time dimensions unless the input is a constant. */
const shape: OpSpec = {
  inputs: [1, 1],
  attributes: ['start', 'end'],
  foldsRuntimeInputs: true,
  fold: (ctx, [x]) => {
    const rank = x ? x.dims.length : requireRank(ctx, 0);
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
    const start = clamp(ctx.attrs.int('start', 0));
    const end = clamp(ctx.attrs.int('end', rank));
    const data: Scalar[] = [];
    for (let axis = start; axis < end; axis++) data.push(x ? x.dims[axis] : { value: ctx.node.inputs[0], axis });
    return [{ dtype: 'int', dims: [data.length], data }];
  },
};

/** `Gather` of constant data (shape vectors): out = data[..., indices, ...] along `axis`. */
const gather: OpSpec = {
  inputs: [2, 2],
  attributes: ['axis'],
  fold: (ctx, [data, indices]) => {
    const axis = normalizeAxis(ctx, ctx.attrs.int('axis', 0), data!.dims.length);
    const n = data!.dims[axis];
    const index = hostNumbers(indices!, `${ctx.node.opType} indices`).map((i) => {
      if (!Number.isInteger(i) || i < -n || i >= n) ctx.fail(`index ${i} is out of range for axis ${axis} of size ${n}`);
      return i < 0 ? i + n : i;
    });
    const outer = product(data!.dims.slice(0, axis));
    const inner = product(data!.dims.slice(axis + 1));
    const out: Scalar[] = [];
    for (let o = 0; o < outer; o++) {
      for (const i of index) out.push(...data!.data.slice((o * n + i) * inner, (o * n + i + 1) * inner));
    }
    return [{ dtype: data!.dtype, dims: [...data!.dims.slice(0, axis), ...indices!.dims, ...data!.dims.slice(axis + 1)], data: out }];
  },
};

/** The `axes` of Unsqueeze and Squeeze: an attribute before opset 13, an input since. */
function axesOf(ctx: LoadContext): readonly number[] | undefined {
  if (ctx.opset < 13) return ctx.attrs.ints('axes', undefined);
  return ctx.has(1) ? hostNumbers(ctx.requireConstant(1, 'axes'), 'axes') : undefined;
}

function unsqueezedDims(ctx: LoadContext, dims: readonly number[]): number[] {
  const axes = axesOf(ctx);
  if (!axes) return ctx.fail('needs axes');
  const rank = dims.length + axes.length;
  const at = new Set(axes.map((a) => normalizeAxis(ctx, a, rank, 'axes entry')));
  if (at.size !== axes.length) ctx.fail(`axes [${axes.join(', ')}] repeat an axis`);
  const out: number[] = [];
  let next = 0;
  for (let d = 0; d < rank; d++) out.push(at.has(d) ? 1 : dims[next++]);
  return out;
}

/** `Unsqueeze`: inserts dimensions of size 1 at `axes` (of the output). */
const unsqueeze: OpSpec = {
  inputs: [1, 2],
  attributes: ['axes'],
  staticInputs: [1],
  fold: (ctx, [x]) => [{ ...x!, dims: unsqueezedDims(ctx, x!.dims) }],
  rank: (ctx) => [requireRank(ctx, 0) + (axesOf(ctx)?.length ?? 0)],
  build: (ctx) => ([x]) => [x!.reshape(unsqueezedDims(ctx, x!.shape))],
};

function squeezedDims(ctx: LoadContext, dims: readonly number[]): number[] {
  const axes = axesOf(ctx);
  if (!axes) return dims.filter((d) => d !== 1);
  const drop = new Set(axes.map((a) => normalizeAxis(ctx, a, dims.length, 'axes entry')));
  for (const d of drop) if (dims[d] !== 1) ctx.fail(`cannot squeeze axis ${d} of size ${dims[d]}`);
  return dims.filter((_, d) => !drop.has(d));
}

/** `Squeeze`: removes the dimensions of size 1 at `axes` (all of them when absent). */
const squeeze: OpSpec = {
  inputs: [1, 2],
  attributes: ['axes'],
  staticInputs: [1],
  fold: (ctx, [x]) => [{ ...x!, dims: squeezedDims(ctx, x!.dims) }],
  rank: (ctx) => {
    const axes = axesOf(ctx);
    const rank = ctx.rank(0);
    return [axes && rank !== undefined ? rank - axes.length : undefined];
  },
  build: (ctx) => ([x]) => [x!.reshape(squeezedDims(ctx, x!.shape))],
};

/** `Concat` of constants along `axis` (the run-time form is in concat.ts). */
function concatHost(ctx: LoadContext, inputs: readonly (HostTensor | undefined)[]): HostTensor[] {
  const parts = inputs.filter((t): t is HostTensor => t !== undefined);
  const first = parts[0];
  const axis = normalizeAxis(ctx, ctx.attrs.int('axis', 0), first.dims.length);
  for (const p of parts) {
    if (p.dims.length !== first.dims.length || p.dims.some((d, i) => i !== axis && d !== first.dims[i])) {
      ctx.fail(`inputs of shapes [${first.dims.join(', ')}] and [${p.dims.join(', ')}] do not match outside axis ${axis}`);
    }
  }
  const outer = product(first.dims.slice(0, axis));
  const data: Scalar[] = [];
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const slab = product(p.dims.slice(axis));
      data.push(...p.data.slice(o * slab, (o + 1) * slab));
    }
  }
  const dims = [...first.dims];
  dims[axis] = parts.reduce((a, p) => a + p.dims[axis], 0);
  return [{ dtype: first.dtype, dims, data }];
}

/**
 * The dimensions `Reshape` gives an input of dimensions `dims`: 0 copies the input's dimension (unless
 * `allowZero`), one −1 takes what is left.
 */
export function reshapeTarget(ctx: LoadContext, dims: readonly number[], target: readonly number[], allowZero: boolean): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? dims[i] : d));
  if (out.some((d) => d === undefined || !Number.isInteger(d) || d < -1) || out.filter((d) => d === -1).length > 1) {
    ctx.fail(`invalid target shape [${target.join(', ')}] for an input of shape [${dims.join(', ')}]`);
  }
  const known = product(out.filter((d) => d !== -1));
  const size = product(dims);
  const unknown = out.indexOf(-1);
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) ctx.fail(`cannot reshape [${dims.join(', ')}] to [${target.join(', ')}]`);
    out[unknown] = size / known;
  }
  if (product(out) !== size) ctx.fail(`cannot reshape [${dims.join(', ')}] (${size} values) to [${target.join(', ')}]`);
  return out;
}

/** A host tensor's entries as numbers, run-time dimensions resolved. */
function resolve(t: HostTensor, run: RunContext): number[] {
  return t.data.map((v) => (typeof v === 'number' ? v : run.dim(v)));
}

/** `Reshape` to a target that may hold run-time dimensions (the batch of `x.view(x.size(0), -1)`). */
const reshape: OpSpec = {
  inputs: [2, 2],
  attributes: ['allowzero'],
  staticInputs: [1],
  fold: (ctx, [x, target]) => [{ ...x!, dims: reshapeTarget(ctx, x!.dims, hostNumbers(target!, 'shape'), ctx.attrs.int('allowzero', 0) === 1) }],
  rank: (ctx) => [ctx.requireConstant(1, 'shape').data.length],
  build: (ctx) => {
    const target = ctx.requireConstant(1, 'shape');
    if (target.dims.length !== 1) ctx.fail(`shape must be 1-D, got dims [${target.dims.join(', ')}]`);
    const allowZero = ctx.attrs.int('allowzero', 0) === 1;
    return ([x], run) => [x!.reshape(reshapeTarget(ctx, x!.shape, resolve(target, run), allowZero))];
  },
};

/** `Flatten`: dimensions before `axis` into one, the rest into another. */
const flatten: OpSpec = {
  inputs: [1, 1],
  attributes: ['axis'],
  rank: () => [2],
  build: (ctx) => {
    const axisAttr = ctx.attrs.int('axis', 1);
    return ([x]) => {
      const axis = axisAttr < 0 ? axisAttr + x!.ndim : axisAttr;
      if (axis < 0 || axis > x!.ndim) ctx.fail(`axis ${axisAttr} is out of range for an input of rank ${x!.ndim}`);
      return [x!.reshape(product(x!.shape.slice(0, axis)), product(x!.shape.slice(axis)))];
    };
  },
};

/** `Cast` of constants to a supported type; at run time only to FLOAT (f32 tensors stay as they are). */
const cast: OpSpec = {
  inputs: [1, 1],
  attributes: ['to', 'saturate'],
  fold: (ctx, [x]) => {
    const to = ctx.attrs.int('to', 0);
    const dtype = hostDType(to) ?? ctx.fail(`casts to ${dataTypeName(to)}, which is unsupported`);
    const convert = (v: number): number => (dtype === 'float' ? Math.fround(v) : dtype === 'bool' ? (v === 0 ? 0 : 1) : Math.trunc(v));
    return [{ dtype, dims: x!.dims, data: x!.data.map((v) => (typeof v === 'number' ? convert(v) : v)) }];
  },
  build: (ctx) => {
    const to = ctx.attrs.int('to', 0);
    if (hostDType(to) !== 'float') ctx.fail(`casts a run-time tensor to ${dataTypeName(to)}; only FLOAT is supported at run time`);
    return ([x]) => [x!];
  },
};

/** `Slice` of constants (e.g. part of a Shape): starts, ends, axes and steps as inputs (opset ≥ 10). */
const slice: OpSpec = {
  inputs: [3, 5],
  attributes: [],
  staticInputs: [1, 2, 3, 4],
  fold: (ctx, [x]) => {
    const { dims } = x!;
    const picks = slicePicks(ctx, dims);
    const strides = stridesOf(dims);
    const data: Scalar[] = [];
    const walk = (d: number, offset: number): void => {
      if (d === dims.length) {
        data.push(x!.data[offset]);
        return;
      }
      for (const i of picks[d]) walk(d + 1, offset + i * strides[d]);
    };
    walk(0, 0);
    return [{ dtype: x!.dtype, dims: picks.map((p) => p.length), data }];
  },
};

/** For each dimension, the indices a Slice keeps (ONNX's clamping rules for starts and ends). */
export function slicePicks(ctx: LoadContext, dims: readonly number[]): number[][] {
  const read = (i: number, what: string) => (ctx.has(i) ? hostNumbers(ctx.requireConstant(i, what), what) : undefined);
  const starts = read(1, 'starts')!;
  const ends = read(2, 'ends')!;
  const axes = read(3, 'axes') ?? starts.map((_, i) => i);
  const steps = read(4, 'steps') ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    ctx.fail('starts, ends, axes and steps have different lengths');
  }
  const picks = dims.map((n) => Array.from({ length: n }, (_, i) => i));
  axes.forEach((a, k) => {
    const axis = normalizeAxis(ctx, a, dims.length, 'axes entry');
    const n = dims[axis];
    const step = steps[k];
    if (step === 0 || !Number.isInteger(step)) ctx.fail(`step ${step} must be a non-zero integer`);
    const at = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
    const start = step > 0 ? at(starts[k], 0, n) : at(starts[k], -1, n - 1);
    const end = step > 0 ? at(ends[k], 0, n) : at(ends[k], -1, n - 1);
    const kept: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) kept.push(i);
    picks[axis] = kept;
  });
  return picks;
}

/** Shape operators by ONNX op type; layout.ts adds the run-time forms of Gather, Concat and Slice. */
export const SHAPE_OPS: Record<string, OpSpec> = {
  Constant: constant,
  Identity: identity,
  Shape: shape,
  Gather: gather,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Concat: { inputs: [1, Infinity], attributes: ['axis'], fold: concatHost },
  Reshape: reshape,
  Flatten: flatten,
  Cast: cast,
  Slice: slice,
};

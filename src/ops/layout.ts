// Ops that rearrange elements into a new dense tensor: permute, transpose, slice and narrow. Each
// is one strided copy, and its gradient the copy back.
import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { normalizeDim } from './dims.js';
import { boxView, copyView } from './strided-copy.js';

/**
 * The dimensions of `x` reordered: output dimension k is input dimension `dims[k]` (a permutation of
 * 0…ndim−1; negative values count from the end), as PyTorch's `x.permute(dims)`. The result is a new
 * dense tensor. Differentiable.
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const order = dims.map((d) => normalizeDim('permute', d, x.shape));
  if (order.length !== x.ndim || new Set(order).size !== order.length) {
    throw new SimdnnError(`permute: dims [${dims.join(', ')}] must order each of the ${x.ndim} dimensions of a tensor of shape ${formatShape(x.shape)} exactly once`);
  }
  const inverse = order.map((_, d) => order.indexOf(d));
  const y = permuteRaw(x, order);
  return recordOp('permute', y, [x], (gy) => [permuteRaw(gy, inverse)]);
}

/** permute without checks or gradient. */
function permuteRaw(x: Tensor, order: readonly number[]): Tensor {
  const backend = x.backend;
  const shape = order.map((d) => x.shape[d]);
  const out = backend.empty(x.size);
  const dense = boxView(x.shape).strides;
  copyView(backend, out, boxView(shape), x.storage, { offset: 0, strides: order.map((d) => dense[d]) }, shape);
  return new Tensor(out, shape, backend);
}

/** `x` with dimensions `dim0` and `dim1` swapped, as PyTorch's `x.transpose(dim0, dim1)`. Differentiable. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normalizeDim('transpose', dim0, x.shape);
  const b = normalizeDim('transpose', dim1, x.shape);
  const order = x.shape.map((_, d) => (d === a ? b : d === b ? a : d));
  return permute(x, order);
}

/**
 * Elements `start, start + step, …` below `end` along `dim`, as Python's `x[..., start:end:step]`:
 * negative `start`/`end` count from the end, both are clamped to the dimension (default: all of it),
 * `step` ≥ 1. The result is a new dense tensor. Differentiable (zeros where nothing was taken).
 */
export function slice(x: Tensor, dim: number, start = 0, end = Number.POSITIVE_INFINITY, step = 1): Tensor {
  const d = normalizeDim('slice', dim, x.shape);
  for (const [name, v] of [['start', start], ['end', end]] as const) {
    if (!Number.isInteger(v) && v !== Number.POSITIVE_INFINITY) throw new SimdnnError(`slice: ${name}=${v} must be an integer`);
  }
  if (!Number.isInteger(step) || step < 1) throw new SimdnnError(`slice: step=${step} must be a positive integer`);
  const size = x.shape[d];
  const clamp = (v: number) => Math.min(size, Math.max(0, v < 0 ? v + size : v));
  const from = clamp(start);
  const length = Math.max(0, Math.ceil((clamp(end) - from) / step));
  return box('slice', x, d, from, length, step);
}

/**
 * `length` elements from `start` along `dim`, as PyTorch's `x.narrow(dim, start, length)` (a
 * negative start counts from the end; the range must lie inside the dimension). Differentiable.
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim('narrow', dim, x.shape);
  const size = x.shape[d];
  const from = start < 0 ? start + size : start;
  if (!Number.isInteger(start) || !Number.isInteger(length) || from < 0 || length < 0 || from + length > size) {
    throw new SimdnnError(`narrow: start=${start}, length=${length} do not lie inside dimension ${d} (size ${size}) of a tensor of shape ${formatShape(x.shape)}`);
  }
  return box('narrow', x, d, from, length, 1);
}

/** The elements from..from+(length−1)·step along dimension d (checked), with the gradient rule. */
function box(op: string, x: Tensor, d: number, from: number, length: number, step: number): Tensor {
  const backend = x.backend;
  const shape = x.shape.map((size, k) => (k === d ? length : size));
  const start = x.shape.map((_, k) => (k === d ? from : 0));
  const steps = x.shape.map((_, k) => (k === d ? step : 1));
  const region = boxView(x.shape, start, steps);
  const out = new Tensor(backend.empty(shapeSize(shape)), shape, backend);
  copyView(backend, out.storage, boxView(shape), x.storage, region, shape);
  return recordOp(op, out, [x], (gy) => {
    const gx = backend.alloc(x.size);
    copyView(backend, gx, region, gy.storage, boxView(shape), shape);
    return [new Tensor(gx, x.shape, backend)];
  });
}

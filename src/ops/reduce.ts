// Reductions: sum, mean, max (all values, or along one dimension), argmax; and sumToShape, which
// folds a broadcast gradient back to an operand's shape. Kernels see an [outer, n, inner] view.
import { recordOp } from '../autograd.js';
import type { Storage } from '../backend/index.js';
import { SimdnnError, formatShape } from '../errors.js';
import { sameShape, shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { normalizeDim, splitAtDim } from './dims.js';

/** The reduced dimension as [outer, n, inner] and the result's shape. */
interface Reduction {
  outer: number;
  n: number;
  inner: number;
  shape: number[];
}

function reduction(op: string, x: Tensor, dim: number | undefined, keepdim: boolean): Reduction {
  if (dim === undefined) {
    return { outer: 1, n: x.size, inner: 1, shape: keepdim ? x.shape.map(() => 1) : [] };
  }
  const d = normalizeDim(op, dim, x.shape);
  const shape = [...x.shape];
  if (keepdim) shape[d] = 1;
  else shape.splice(d, 1);
  return { ...splitAtDim(x.shape, d), shape };
}

/** Sum of all values, or along `dim` (negative counts from the end); `keepdim` keeps it as size 1. */
export function sum(x: Tensor, dim?: number, keepdim = false): Tensor {
  return sumOrMean('sum', x, dim, keepdim);
}

/** Mean of all values, or along `dim`; NaN for an empty reduction, as in PyTorch. */
export function mean(x: Tensor, dim?: number, keepdim = false): Tensor {
  return sumOrMean('mean', x, dim, keepdim);
}

function sumOrMean(op: 'sum' | 'mean', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const { outer, n, inner, shape } = reduction(op, x, dim, keepdim);
  const scale = op === 'mean' ? 1 / n : 1;
  const backend = x.backend;
  const out = backend.alloc(outer * inner);
  backend.sumDim(out, x.storage, outer, n, inner, scale);
  return recordOp(op, new Tensor(out, shape, backend), [x], (gy) => {
    const gx = backend.alloc(x.size);
    backend.expandDim(gx, gy.storage, outer, n, inner, scale);
    return [new Tensor(gx, x.shape, backend)];
  });
}

/**
 * The maximum of all values (gradient shared evenly among ties, as PyTorch's max()), or the maximum
 * along `dim` (gradient to the first index attaining it, as PyTorch's max(dim)). NaN wins.
 */
export function max(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { values, indices, outer, n, inner, shape } = maxAlong('max', x, dim, keepdim);
  const backend = x.backend;
  return recordOp('max', new Tensor(values, shape, backend), [x], (gy) => {
    const gx = backend.alloc(x.size);
    if (dim === undefined) backend.maxAllBackward(gx, gy.storage, x.storage, values, x.size);
    else backend.maxDimBackward(gx, gy.storage, indices, outer, n, inner);
    return [new Tensor(gx, x.shape, backend)];
  }, [indices]);
}

/**
 * Indices of the maximum along `dim` (of the flattened tensor without `dim`), as float values; the
 * first index on ties, NaN counting as the largest. Not differentiable.
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  const { values, indices, shape } = maxAlong('argmax', x, dim, keepdim);
  x.backend.free(values);
  return new Tensor(indices, shape, x.backend);
}

function maxAlong(op: string, x: Tensor, dim: number | undefined, keepdim: boolean): Reduction & { values: Storage; indices: Storage } {
  const r = reduction(op, x, dim, keepdim);
  if (r.n === 0) throw new SimdnnError(`${op}: cannot reduce over an empty dimension of shape ${formatShape(x.shape)}`);
  const values = x.backend.alloc(r.outer * r.inner);
  const indices = x.backend.alloc(r.outer * r.inner);
  x.backend.maxDim(values, indices, x.storage, r.outer, r.n, r.inner);
  return { ...r, values, indices };
}

/**
 * Sums `g` down to `shape`, which must broadcast to g's shape: leading extra dimensions and those
 * where `shape` has 1 are summed away. The gradient of broadcasting; records nothing. Returns `g`
 * itself when the shapes are equal.
 */
export function sumToShape(g: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  if (lead < 0) throw new SimdnnError(`sumToShape: shape ${formatShape(shape)} does not broadcast to ${formatShape(g.shape)}`);
  // Runs of dimensions that are all kept or all summed, merged: [N, C, H, W] → [C, 1, 1] is
  // summed(N), kept(C), summed(H·W). Size-1 dimensions join any run.
  const runs: { size: number; summed: boolean }[] = [];
  g.shape.forEach((d, i) => {
    const target = i < lead ? 1 : shape[i - lead];
    if (target !== d && target !== 1) {
      throw new SimdnnError(`sumToShape: shape ${formatShape(shape)} does not broadcast to ${formatShape(g.shape)}`);
    }
    if (d === 1) return;
    const summed = target === 1;
    const last = runs[runs.length - 1];
    if (last && last.summed === summed) last.size *= d;
    else runs.push({ size: d, summed });
  });
  const backend = g.backend;
  let storage = g.storage;
  for (let r = 0; r < runs.length; r++) {
    if (!runs[r].summed) continue;
    const outer = shapeSize(runs.slice(0, r).map((run) => run.size));
    const inner = shapeSize(runs.slice(r + 1).map((run) => run.size));
    const out = backend.alloc(outer * inner);
    backend.sumDim(out, storage, outer, runs[r].size, inner, 1);
    if (storage !== g.storage) backend.free(storage);
    storage = out;
    runs[r].size = 1;
  }
  if (storage === g.storage) storage = backend.clone(storage); // only size-1 dimensions differed
  return new Tensor(storage, shape, backend);
}

// Shape ops that share storage with their input: reshape and flatten. The gradient is the incoming
// gradient in the input's shape.
import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { normalizeDim } from './dims.js';

/** The same values in a new shape (row-major order kept; storage shared). One dimension may be −1. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = [...shape];
  const unknown = target.indexOf(-1);
  if (unknown !== target.lastIndexOf(-1)) throw new SimdnnError(`reshape: only one dimension can be -1, got ${formatShape(shape)}`);
  for (const d of target) {
    if (!Number.isInteger(d) || d < -1) throw new SimdnnError(`reshape: invalid shape ${formatShape(shape)}: dimensions must be non-negative integers or one -1`);
  }
  if (unknown >= 0) {
    const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new SimdnnError(`reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)}`);
    }
    target[unknown] = x.size / known;
  }
  const size = target.reduce((a, d) => a * d, 1);
  if (size !== x.size) {
    throw new SimdnnError(`reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)} (${size} values)`);
  }
  return view('reshape', x, target);
}

/** Merges dimensions startDim…endDim (inclusive, negative counts from the end) into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return view('flatten', x, [1]);
  const start = normalizeDim('flatten', startDim, x.shape);
  const end = normalizeDim('flatten', endDim, x.shape);
  if (start > end) throw new SimdnnError(`flatten: startDim ${startDim} comes after endDim ${endDim} for shape ${formatShape(x.shape)}`);
  const merged = x.shape.slice(start, end + 1).reduce((a, d) => a * d, 1);
  return view('flatten', x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

function view(op: string, x: Tensor, shape: readonly number[]): Tensor {
  const y = new Tensor(x.storage, shape, x.backend);
  // The gradient is copied, not viewed: backward releases consumed gradient buffers by tensor, so a
  // view of the caller's own gradient (reshape at the root) would be freed with its view.
  return recordOp(op, y, [x], (gy) => [new Tensor(gy.backend.clone(gy.storage), x.shape, gy.backend)]);
}

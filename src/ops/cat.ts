// sn.cat: tensors joined along one dimension; each input's gradient is its slab of the output's.
import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { commonBackend, normalizeDim } from './dims.js';
import { boxView, copyView } from './strided-copy.js';

/**
 * The tensors joined along `dim` (default 0), as PyTorch's `torch.cat`: every tensor has the same
 * number of dimensions and the same sizes except along `dim`. Differentiable.
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0 || !tensors.every((t) => t instanceof Tensor)) {
    throw new SimdnnError('cat: expected a non-empty array of tensors');
  }
  const first = tensors[0];
  const d = normalizeDim('cat', dim, first.shape);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((size, k) => k !== d && size !== first.shape[k])) {
      throw new SimdnnError(`cat: tensor ${i} of shape ${formatShape(t.shape)} does not match tensor 0 of shape ${formatShape(first.shape)} outside dimension ${d}`);
    }
  });
  const backend = commonBackend('cat', ...tensors);
  const shape = first.shape.map((size, k) => (k === d ? tensors.reduce((sum, t) => sum + t.shape[d], 0) : size));
  // Each input fills the slab of the output that starts at its offset along d.
  const slabs: number[] = [];
  tensors.reduce((offset, t) => (slabs.push(offset), offset + t.shape[d]), 0);
  const slab = (i: number) => boxView(shape, shape.map((_, k) => (k === d ? slabs[i] : 0)));
  const out = backend.empty(shapeSize(shape));
  tensors.forEach((t, i) => copyView(backend, out, slab(i), t.storage, boxView(t.shape), t.shape));
  return recordOp('cat', new Tensor(out, shape, backend), tensors, (gy) => tensors.map((t, i) => {
    if (!t.requiresGrad) return undefined;
    const gx = backend.empty(t.size);
    copyView(backend, gx, boxView(t.shape), gy.storage, slab(i), t.shape);
    return new Tensor(gx, t.shape, backend);
  }));
}

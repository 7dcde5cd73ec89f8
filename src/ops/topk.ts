// sn.topK: the k largest values along a dimension and where they are. Selecting and moving values
// decides no bits (no arithmetic), so it runs on the host for both backends.
import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { normalizeDim, splitAtDim } from './dims.js';

/** The result of `topK`: values and their indices along the dimension (as float values), both with size k there. */
export interface TopK {
  values: Tensor;
  indices: Tensor;
}

/**
 * The `k` largest values of `x` along `dim` (default: the last), largest first, and their indices,
 * as PyTorch's `torch.topk` (NaN counts as larger than every number; equal values keep index order):
 * `sn.topK(probabilities, 3)` gives the three best classes of each row. `values` is differentiable
 * (the gradient goes back to the selected places).
 */
export function topK(x: Tensor, k: number, dim = -1): TopK {
  const d = normalizeDim('topK', dim, x.shape);
  const { outer, n, inner } = splitAtDim(x.shape, d);
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new SimdnnError(`topK: k=${k} must be an integer from 0 to ${n}, the size of dimension ${d} of a tensor of shape ${formatShape(x.shape)}`);
  }
  const data = x.toFloat32Array();
  const shape = x.shape.map((size, i) => (i === d ? k : size));
  const values = new Float32Array(outer * k * inner);
  const indices = new Float32Array(outer * k * inner);
  const sources = new Int32Array(outer * k * inner); // where each value came from in x
  const order = Array.from({ length: n }, (_, i) => i);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => (o * n + j) * inner + i;
      order.sort((a, b) => compareDescending(data[at(a)], data[at(b)]) || a - b);
      for (let r = 0; r < k; r++) {
        const out = (o * k + r) * inner + i;
        values[out] = data[at(order[r])];
        indices[out] = order[r];
        sources[out] = at(order[r]);
      }
    }
  }
  const backend = x.backend;
  const result = new Tensor(backend.fromValues(values), shape, backend);
  recordOp('topK', result, [x], (gy) => {
    const g = gy.toFloat32Array();
    const gx = new Float32Array(x.size);
    sources.forEach((source, j) => { gx[source] = g[j]; });
    return [new Tensor(backend.fromValues(gx), x.shape, backend)];
  });
  return { values: result, indices: new Tensor(backend.fromValues(indices), shape, backend) };
}

/** Negative when a comes before b in descending order with NaN first; 0 when they tie. */
function compareDescending(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return (Number.isNaN(a) ? 0 : 1) - (Number.isNaN(b) ? 0 : 1);
  return a === b ? 0 : a > b ? -1 : 1;
}

// F.linear: y = x·Wᵀ + b over the last dimension of x, one GEMM with the bias fused in its epilogue.
import { recordOp } from '../autograd.js';
import type { Storage } from '../backend/index.js';
import { SimdnnError, formatShape } from '../errors.js';
import { commonBackend } from '../ops/dims.js';
import { Tensor } from '../tensor.js';

/**
 * y = x·Wᵀ + b, with x [..., in], weight [out, in] (PyTorch's layout) and bias [out]; y is [..., out].
 * Gradients: dx = dy·W, dW = dyᵀ·x, db = column sums of dy (leading dimensions flattened into rows).
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const backend = commonBackend('linear', ...(bias ? [x, weight, bias] : [x, weight]));
  if (weight.ndim !== 2) throw new SimdnnError(`linear: weight must be 2-D [out, in], got ${formatShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new SimdnnError(`linear: input ${formatShape(x.shape)} does not end in ${inFeatures} features as weight ${formatShape(weight.shape)} expects`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new SimdnnError(`linear: bias ${formatShape(bias.shape)} does not match weight ${formatShape(weight.shape)} (expected [${outFeatures}])`);
  }
  const rows = x.size / inFeatures;
  const out = backend.empty(rows * outFeatures); // the products below overwrite their outputs
  backend.gemm({
    c: out, a: x.storage, b: weight.storage, m: rows, n: outFeatures, k: inFeatures, transB: true,
    bias: bias && { values: bias.storage, axis: 'col' },
  });
  const y = new Tensor(out, [...x.shape.slice(0, -1), outFeatures], backend);
  return recordOp('linear', y, [x, weight, bias], (gy) => {
    let gx: Storage | undefined;
    let gw: Storage | undefined;
    let gb: Storage | undefined;
    if (x.requiresGrad) {
      gx = backend.empty(x.size); // [rows, in] = dy [rows, out] · W [out, in]
      backend.gemm({ c: gx, a: gy.storage, b: weight.storage, m: rows, n: inFeatures, k: outFeatures });
    }
    if (weight.requiresGrad) {
      gw = backend.empty(weight.size); // [out, in] = dyᵀ · x [rows, in]
      backend.gemm({ c: gw, a: gy.storage, b: x.storage, m: outFeatures, n: inFeatures, k: rows, transA: true });
    }
    if (bias?.requiresGrad) {
      gb = backend.empty(outFeatures);
      backend.sumDim(gb, gy.storage, 1, rows, outFeatures, 1);
    }
    return [
      gx && new Tensor(gx, x.shape, backend),
      gw && new Tensor(gw, weight.shape, backend),
      gb && new Tensor(gb, [outFeatures], backend),
    ];
  }, [], 'global');
}

// softmax and logSoftmax along one dimension, numerically stable (the maximum is subtracted first).
import { recordOp } from '../autograd.js';
import { normalizeDim, splitAtDim } from '../ops/dims.js';
import { Tensor } from '../tensor.js';

/** exp(x) / Σ exp(x) along `dim` (negative counts from the end). */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxAlong('softmax', x, dim);
}

/** log(softmax(x)) along `dim`, computed as (x − max) − log Σ exp(x − max): no overflow, no log(0). */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxAlong('logSoftmax', x, dim);
}

function softmaxAlong(op: 'softmax' | 'logSoftmax', x: Tensor, dim: number): Tensor {
  const { outer, n, inner } = splitAtDim(x.shape, normalizeDim(op, dim, x.shape));
  const log = op === 'logSoftmax';
  const backend = x.backend;
  const out = backend.alloc(x.size);
  backend.softmax(out, x.storage, outer, n, inner, log);
  const y = new Tensor(out, x.shape, backend);
  return recordOp(op, y, [x], (gy) => {
    const gx = backend.alloc(x.size);
    backend.softmaxBackward(gx, gy.storage, out, outer, n, inner, log);
    return [new Tensor(gx, x.shape, backend)];
  });
}

import { recordOp } from '../autograd.js';
import type { Storage } from '../backend/index.js';
import { broadcastShapes } from '../backend/broadcast.js';
import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { commonBackend } from './dims.js';

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D operand is treated as a row
 * (left) or column (right) vector and that dimension is dropped from the result, and leading batch
 * dimensions broadcast (`[b, m, k] · [k, n]` → `[b, m, n]`). Differentiable in both operands.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new SimdnnError(`matmul: both operands need at least one dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  commonBackend('matmul', a, b);
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : [...a.shape];
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = aShape.slice(-2);
  const [kb, n] = bShape.slice(-2);
  const batch = broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2));
  if (k !== kb || batch === undefined) {
    throw new SimdnnError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied`
      + (k !== kb ? ` (inner dimensions ${k} and ${kb} differ)` : ' (batch dimensions do not broadcast)'));
  }
  const outShape = [...batch, m, n];
  if (a.ndim === 1) outShape.splice(-2, 1);
  if (b.ndim === 1) outShape.splice(-1, 1);

  const backend = a.backend;
  const count = shapeSize(batch);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  // When every item shares one B and A is not broadcast, the items' rows are contiguous: one GEMM
  // of count·m rows does the forward, and dA and dB are single products too.
  const fold = shapeSize(bBatch) === 1 && shapeSize(aBatch) === count;
  const rows = fold ? count * m : m;
  const items = fold ? 1 : count;
  // Offsets, in floats, of each item's A and B matrices (broadcast operands repeat).
  const offA = (i: number) => broadcastIndex(i, batch, aBatch) * rows * k;
  const offB = (i: number) => broadcastIndex(i, batch, bBatch) * k * n;
  const out = backend.alloc(count * m * n);
  for (let i = 0; i < items; i++) {
    backend.gemm({ c: out, a: a.storage, b: b.storage, m: rows, n, k, offsetC: i * rows * n, offsetA: offA(i), offsetB: offB(i) });
  }
  return recordOp('matmul', new Tensor(out, outShape, backend), [a, b], (gy) => {
    // Per item: dA += dC·Bᵀ and dB += Aᵀ·dC, accumulated into the (zero-filled) gradient of a
    // broadcast operand. 1-D operands were viewed as [1, k] and [k, 1]: same storage, same size.
    let ga: Storage | undefined;
    let gb: Storage | undefined;
    if (a.requiresGrad) {
      ga = backend.alloc(a.size);
      for (let i = 0; i < items; i++) {
        backend.gemm({ c: ga, a: gy.storage, b: b.storage, m: rows, n: k, k: n, transB: true, accumulate: true, offsetC: offA(i), offsetA: i * rows * n, offsetB: offB(i) });
      }
    }
    if (b.requiresGrad) {
      gb = backend.alloc(b.size);
      for (let i = 0; i < items; i++) {
        backend.gemm({ c: gb, a: a.storage, b: gy.storage, m: k, n, k: rows, transA: true, accumulate: true, offsetC: offB(i), offsetA: offA(i), offsetB: i * rows * n });
      }
    }
    return [ga && new Tensor(ga, a.shape, backend), gb && new Tensor(gb, b.shape, backend)];
  }, [], 'global');
}

/** The flat index, within an operand's own batch shape, of flat index `i` of the broadcast batch. */
function broadcastIndex(i: number, batch: number[], own: number[]): number {
  let index = 0;
  let stride = 1;
  for (let d = batch.length - 1, o = own.length - 1; d >= 0; d--, o--) {
    const coord = i % batch[d];
    i = Math.floor(i / batch[d]);
    if (o >= 0) {
      if (own[o] !== 1) index += coord * stride;
      stride *= own[o];
    }
  }
  return index;
}

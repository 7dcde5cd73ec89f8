import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Matrix product with PyTorch's rules: 1-D·1-D is a dot product, a 1-D operand is treated as a row
 * (left) or column (right) vector and that dimension is dropped from the result, and leading batch
 * dimensions broadcast (`[b, m, k] · [k, n]` → `[b, m, n]`).
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new SimdnnError(`matmul: both operands need at least one dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.backend !== b.backend) {
    throw new SimdnnError(`matmul: operands live on different backends ('${a.backend.name}' and '${b.backend.name}')`);
  }
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : [...a.shape];
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : [...b.shape];
  const [m, k] = aShape.slice(-2);
  const [kb, n] = bShape.slice(-2);
  const batch = broadcastBatch(aShape.slice(0, -2), bShape.slice(0, -2));
  if (k !== kb || batch === undefined) {
    throw new SimdnnError(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied`
      + (k !== kb ? ` (inner dimensions ${k} and ${kb} differ)` : ' (batch dimensions do not broadcast)'));
  }
  const outShape = [...batch, m, n];
  if (a.ndim === 1) outShape.splice(-2, 1);
  if (b.ndim === 1) outShape.splice(-1, 1);

  const backend = a.backend;
  const out = backend.alloc(shapeSize(batch) * m * n);
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  for (let i = 0; i < shapeSize(batch); i++) {
    backend.gemm({
      c: out, a: a.storage, b: b.storage, m, n, k,
      offsetC: i * m * n,
      offsetA: broadcastIndex(i, batch, aBatch) * m * k,
      offsetB: broadcastIndex(i, batch, bBatch) * k * n,
    });
  }
  return new Tensor(out, outShape, backend);
}

/** The broadcast of two batch shapes, or undefined when they are incompatible. */
function broadcastBatch(x: number[], y: number[]): number[] | undefined {
  const rank = Math.max(x.length, y.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dx = x[x.length - rank + i] ?? 1;
    const dy = y[y.length - rank + i] ?? 1;
    if (dx !== dy && dx !== 1 && dy !== 1) return undefined;
    out.push(Math.max(dx, dy));
  }
  return out;
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

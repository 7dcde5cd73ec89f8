import { recordOp } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { boxView, copyView } from '../ops/strided-copy.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * Constant padding, as PyTorch's `F.pad(x, pads, value=value)`: `pads` lists (before, after) pairs
 * starting from the last dimension — `[left, right]` pads the last dimension, `[left, right, top,
 * bottom]` the last two, and so on. Added places hold `value` (default 0); negative amounts remove
 * elements instead. Differentiable in x.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (!Array.isArray(pads) || pads.length % 2 !== 0 || pads.length > 2 * x.ndim || !pads.every(Number.isInteger)) {
    throw new SimdnnError(`pad: pads ${JSON.stringify(pads)} must be an even number (at most ${2 * x.ndim}) of integers, (before, after) pairs from the last dimension of a tensor of shape ${formatShape(x.shape)}`);
  }
  if (typeof value !== 'number') throw new SimdnnError(`pad: value must be a number, got ${typeof value}`);
  const before = x.shape.map((_, d) => pads[2 * (x.ndim - 1 - d)] ?? 0);
  const after = x.shape.map((_, d) => pads[2 * (x.ndim - 1 - d) + 1] ?? 0);
  const shape = x.shape.map((size, d) => size + before[d] + after[d]);
  if (shape.some((size) => size < 0)) {
    throw new SimdnnError(`pad: pads ${JSON.stringify(pads)} would give a tensor of shape ${formatShape(shape)} from one of shape ${formatShape(x.shape)}`);
  }
  // The part of x that survives (negative pads crop it) and where it lands in the output.
  const kept = x.shape.map((size, d) => Math.max(0, size - Math.max(0, -before[d]) - Math.max(0, -after[d])));
  const inX = boxView(x.shape, before.map((b) => Math.max(0, -b)));
  const inY = boxView(shape, before.map((b) => Math.max(0, b)));
  const backend = x.backend;
  const size = shapeSize(shape);
  const out = value === 0 ? backend.alloc(size) : backend.fromValues(new Float32Array(size).fill(value));
  copyView(backend, out, inY, x.storage, inX, kept);
  return recordOp('pad', new Tensor(out, shape, backend), [x], (gy) => {
    const cropped = kept.some((k, d) => k !== x.shape[d]);
    const gx = cropped ? backend.alloc(x.size) : backend.empty(x.size);
    copyView(backend, gx, inX, gy.storage, inY, kept);
    return [new Tensor(gx, x.shape, backend)];
  });
}

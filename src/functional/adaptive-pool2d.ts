import { recordOp } from '../autograd.js';
import type { Backend, Storage } from '../backend/index.js';
import type { AdaptivePool2dGeometry } from '../backend/adaptive-pool-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import type { SpatialWindow } from '../spatial-window.js';
import { Tensor } from '../tensor.js';

/** An adaptive pooling's output size: one number for both axes, or `[h, w]` where null keeps the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

/**
 * 2-D adaptive average pooling, as PyTorch's `F.adaptive_avg_pool2d`: `x` [N, C, H, W] (or [C, H, W])
 * → [N, C, outH, outW], output row i averaging input rows ⌊i·H/outH⌋ to ⌈(i + 1)·H/outH⌉ − 1 (columns
 * likewise); `outputSize` 1 is global average pooling. Differentiable.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptivePool2d('adaptiveAvgPool2d', x, outputSize,
    (backend, out, g) => backend.adaptiveAvgPool2dForward(out, x.storage, g),
    (backend, dx, dy, g) => backend.adaptiveAvgPool2dBackward(dx, dy, g));
}

/**
 * 2-D adaptive max pooling, as PyTorch's `F.adaptive_max_pool2d` (values only), with the windows of
 * `adaptiveAvgPool2d`. NaN counts as the maximum. Differentiable: the gradient goes to each window's
 * first maximum, recomputed from `x`.
 */
export function adaptiveMaxPool2d(x: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptivePool2d('adaptiveMaxPool2d', x, outputSize,
    (backend, out, g) => backend.adaptiveMaxPool2dForward(out, x.storage, g),
    (backend, dx, dy, g) => backend.adaptiveMaxPool2dBackward(dx, dy, x.storage, g));
}

function adaptivePool2d(
  op: string, x: Tensor, outputSize: AdaptiveSize,
  forward: (backend: Backend, out: Storage, g: AdaptivePool2dGeometry) => void,
  backward: (backend: Backend, dx: Storage, dy: Storage, g: AdaptivePool2dGeometry) => void,
): Tensor {
  const g = adaptivePool2dGeometry(op, x.shape, outputSize);
  const backend = x.backend;
  const out = backend.empty(g.n * g.c * g.outH * g.outW);
  forward(backend, out, g);
  const shape = [...x.shape.slice(0, -2), g.outH, g.outW];
  return recordOp(op, new Tensor(out, shape, backend), [x], (gy) => {
    const dx = backend.empty(x.size);
    backward(backend, dx, gy.storage, g);
    return [new Tensor(dx, x.shape, backend)];
  }, [], adaptiveWindow(g));
}

/** The widest of the windows [⌊o·n/m⌋, ⌈(o + 1)·n/m⌉), moved by n/m on average; the whole input at 1×1. */
function adaptiveWindow(g: AdaptivePool2dGeometry): SpatialWindow {
  if (g.outH === 1 && g.outW === 1) return 'global';
  const widest = (n: number, m: number) => Math.max(...Array.from({ length: m }, (_, o) => Math.ceil(((o + 1) * n) / m) - Math.floor((o * n) / m)));
  return { taps: [widest(g.h, g.outH), widest(g.w, g.outW)], spacing: [1, 1], scale: [g.outH / g.h, g.outW / g.w] };
}

/** Checks the input shape and output size; a SimdnnError naming `op` and what is wrong otherwise. */
export function adaptivePool2dGeometry(op: string, shape: readonly number[], outputSize: AdaptiveSize): AdaptivePool2dGeometry {
  if (shape.length !== 3 && shape.length !== 4) throw new SimdnnError(`${op}: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got ${formatShape(shape)}`);
  const [n, c, h, w] = shape.length === 4 ? shape : [1, ...shape];
  if (h === 0 || w === 0) throw new SimdnnError(`${op}: input ${formatShape(shape)} has an empty spatial dimension`);
  const pair = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  const [outH, outW] = Array.isArray(pair) && pair.length === 2 ? [pair[0] ?? h, pair[1] ?? w] : [NaN, NaN];
  if (!Number.isInteger(outH) || !Number.isInteger(outW) || outH < 1 || outW < 1) {
    throw new SimdnnError(`${op}: outputSize=${JSON.stringify(outputSize)} must be a positive integer or a pair [h, w] of them (null keeps the input's size)`);
  }
  return { n, c, h, w, outH, outW };
}

// Copies between boxes of dense tensors through the backend's one strided-copy primitive: the
// forward and gradient of permute, slice, cat and pad.
import type { Backend, Storage } from '../backend/index.js';
import { denseStrides, stridedLayout } from '../backend/strided-layout.js';
import type { StridedView } from '../backend/strided-ops.js';
import { shapeSize } from '../shape.js';

/**
 * The view of a box inside a dense tensor of `shape`: the box starts at index `start` and moves by
 * `step` elements along each dimension (defaults: the origin, step 1; the whole tensor).
 */
export function boxView(shape: readonly number[], start?: readonly number[], step?: readonly number[]): StridedView {
  const dense = denseStrides(shape);
  return {
    offset: dense.reduce((sum, stride, d) => sum + stride * (start?.[d] ?? 0), 0),
    strides: dense.map((stride, d) => stride * (step?.[d] ?? 1)),
  };
}

/** dst[dstView of i] = src[srcView of i] for every index i over `dims` (nothing when it is empty). */
export function copyView(backend: Backend, dst: Storage, dstView: StridedView, src: Storage, srcView: StridedView, dims: readonly number[]): void {
  if (shapeSize(dims) === 0) return;
  backend.copyStrided(dst, src, stridedLayout(dims, dstView, srcView));
}

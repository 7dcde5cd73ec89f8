import type { Storage } from './backend.js';

/**
 * Where the elements of an N-d index space sit in a dense buffer: element (i₀, i₁, …) is at
 * `offset + Σ iₖ·strides[k]` (in floats). A permuted tensor, a slice or a region of a larger tensor
 * are all such views.
 */
export interface StridedView {
  readonly offset: number;
  readonly strides: readonly number[];
}

/**
 * The layout of one strided copy: the index space `dims` and where each index lives on both sides.
 * `stridedLayout` (src/backend/strided-layout.ts) builds it with neighbouring dimensions merged.
 */
export interface StridedLayout {
  readonly dims: readonly number[];
  readonly dst: StridedView;
  readonly src: StridedView;
}

/** Copies between strided views: the primitive behind permute, slicing, cat and pad, and their gradients. */
export interface StridedOps {
  /** dst[dst view of i] = src[src view of i] for every index i over `layout.dims`; the views do not overlap. */
  copyStrided(dst: Storage, src: Storage, layout: StridedLayout): void;
}

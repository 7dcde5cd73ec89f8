// Merging the dimensions of a walk over two strided operands, shared by broadcasting (broadcast.ts)
// and strided copies: size-1 dimensions are dropped and neighbours that step alike on both sides
// are merged, so a copy of a contiguous block is rank 1 and a transpose of [N, C, H, W] to
// [N, H, W, C] is rank 3.
import type { StridedLayout, StridedView } from './strided-ops.js';

/** Row-major strides (in elements) of a dense tensor of `shape`. */
export function denseStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  return strides;
}

/**
 * The walk over index space `dims` that reads operand a at `aStrides` and b at `bStrides`, with
 * dimension k merged into the previous one when both operands step from it to the next by the same
 * multiple of its size. Rank 0 becomes rank 1 of size 1.
 */
export function mergeDims(dims: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): { dims: number[]; aStrides: number[]; bStrides: number[] } {
  const merged: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  dims.forEach((d, i) => {
    if (d === 1) return;
    const last = merged.length - 1;
    if (last >= 0 && a[last] === aStrides[i] * d && b[last] === bStrides[i] * d) {
      merged[last] *= d;
      a[last] = aStrides[i];
      b[last] = bStrides[i];
    } else {
      merged.push(d);
      a.push(aStrides[i]);
      b.push(bStrides[i]);
    }
  });
  if (merged.length === 0) return { dims: [1], aStrides: [0], bStrides: [0] };
  return { dims: merged, aStrides: a, bStrides: b };
}

/** The copy of index space `dims` from the `src` view to the `dst` view, dimensions merged. */
export function stridedLayout(dims: readonly number[], dst: StridedView, src: StridedView): StridedLayout {
  const m = mergeDims(dims, dst.strides, src.strides);
  return { dims: m.dims, dst: { offset: dst.offset, strides: m.aStrides }, src: { offset: src.offset, strides: m.bStrides } };
}

// Broadcasting arithmetic on shapes (PyTorch's rules), shared by the ops and both backends.
import type { BroadcastLayout } from './elementwise-ops.js';
import { mergeDims } from './strided-layout.js';

/** The broadcast of two shapes (dimensions aligned from the right), or undefined when incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Row-major strides of `shape`, aligned right to rank `rank`, with 0 on every size-1 (broadcast) dim. */
function broadcastStrides(shape: readonly number[], rank: number): number[] {
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = 1; i <= shape.length; i++) {
    const d = shape[shape.length - i];
    if (d !== 1) strides[rank - i] = stride;
    stride *= d;
  }
  return strides;
}

/**
 * The memory walk of `a ∘ b` with output shape `out` (their broadcast): size-1 output dimensions are
 * dropped and neighbours that step alike in both operands are merged, so `[N, C] + [C]` becomes
 * dims [N, C] with b strides [0, 1], `[N, C, H, W] + [C, 1, 1]` dims [N, C, H·W] with b strides
 * [0, 1, 0], and same-shape or scalar cases rank 1.
 */
export function broadcastLayout(a: readonly number[], b: readonly number[], out: readonly number[]): BroadcastLayout {
  return mergeDims(out, broadcastStrides(a, out.length), broadcastStrides(b, out.length));
}

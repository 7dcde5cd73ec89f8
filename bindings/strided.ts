// Typed wrapper for the strided copy (assembly/strided.ts); large copies are split across the thread
// pool by rows.
import { wasm } from './instance.js';
import { LayoutScratch } from './layout-scratch.js';
import { runOverRange } from './ranges.js';

interface StridedExports {
  readonly STRIDED_MAX_RANK: WebAssembly.Global;
}

const layout = new LayoutScratch(); // dims, dstStrides, srcStrides

/**
 * For every index over `dims`: dst[Σ iₖ·dstStrides[k]] = src[Σ iₖ·srcStrides[k]], where dst and src
 * are byte addresses of element (0, …, 0) and strides count floats.
 */
export function copyStrided(dst: number, src: number, dims: readonly number[], dstStrides: readonly number[], srcStrides: readonly number[]): void {
  const maxRank: number = wasm<StridedExports>().STRIDED_MAX_RANK.value;
  const rank = dims.length;
  if (rank > maxRank) {
    // More dimensions than the kernel takes: one call per index of the first dimension.
    for (let j = 0; j < dims[0]; j++) {
      copyStrided(dst + 4 * j * dstStrides[0], src + 4 * j * srcStrides[0], dims.slice(1), dstStrides.slice(1), srcStrides.slice(1));
    }
    return;
  }
  const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
  runOverRange('copyStrided', [dst, src, rank, ...layout.write(maxRank, dims, dstStrides, srcStrides)], rows, 2 * rows * dims[rank - 1]);
}

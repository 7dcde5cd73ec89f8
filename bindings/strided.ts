// Typed wrapper for the strided copy (assembly/strided.ts); large copies are split across the thread
// pool by rows.
import { wasm } from './instance.js';
import { allocFloats, u32View } from './memory.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';

interface StridedExports {
  readonly STRIDED_MAX_RANK: WebAssembly.Global;
}

let layoutScratch = 0; // dims, dstStrides, srcStrides: three i32[STRIDED_MAX_RANK]

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
  if (layoutScratch === 0) layoutScratch = allocFloats(3 * maxRank);
  const view = u32View(layoutScratch, 3 * maxRank);
  view.set(dims, 0);
  view.set(dstStrides, maxRank);
  view.set(srcStrides, 2 * maxRank);
  const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
  const size = rows * dims[rank - 1];
  const args = [dst, src, rank, layoutScratch, layoutScratch + 4 * maxRank, layoutScratch + 8 * maxRank, 0, rows];
  runChunked({ op: 'copyStrided', kernel: 'copyStrided', args, rangeArg: 6, total: rows, chunkSize: chunkSize(rows, 2 * size, RATES.floats) });
}

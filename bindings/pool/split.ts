// When a call is worth splitting across threads, and into how many chunks. A chunk handed to a worker
// costs a wake-up and a cache warm-up (an Atomics round trip is 12–27 µs on the 2-core machine this
// was measured on), so calls estimated below MIN_PARALLEL_FLOPS stay on the calling thread.
import { readyThreads } from './pool.js';

/** Work below which a call runs on one thread (see docs/ARCHITECTURE.md for the measurement). */
export const MIN_PARALLEL_FLOPS = 4e6;

/**
 * The chunk size for cutting `units` (rows, images, planes) among the ready threads: all of them in
 * one chunk when `flops` is too little to share, otherwise about one chunk per thread, rounded up to
 * a multiple of `align`.
 */
export function chunkSize(units: number, flops: number, align = 1): number {
  const threads = flops < MIN_PARALLEL_FLOPS ? 1 : readyThreads();
  if (threads === 1 || units <= align) return Math.max(units, 1);
  return Math.ceil(Math.ceil(units / threads) / align) * align;
}

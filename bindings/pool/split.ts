// When a call is worth splitting across threads, and into how many chunks. Handing chunks to workers
// costs a wake-up of a watching worker (~1–3 µs), publishing the job and waiting for the slowest
// share. Measured on this 2-core machine (Intel Xeon, Node 20) with workers that had just finished a
// job (they watch for the next one for 1 ms before sleeping): a 64³ GEMM (≈ 14 µs on one thread)
// broke even on two threads, 96³ (≈ 37 µs) ran 1.7× and 192³ 1.9× faster; ReLU over 65,536 floats
// (10 µs) 1.4×. Calls estimated below MIN_PARALLEL_MICROSECONDS on one thread stay on the calling
// thread.
import { readyThreads } from './pool.js';

/** Estimated one-thread time below which a call is not split. */
export const MIN_PARALLEL_MICROSECONDS = 20;

/** One thread's rough rates, to turn a call's work into an estimated time. */
export const RATES = {
  /** GEMM and convolution: ~30 GFLOP/s. */
  flops: 30_000,
  /** Pooling: window taps (a compare or an add each, with loads). */
  taps: 3_000,
  /** Streaming passes: floats read or written once (ReLU over 295K floats, out of L2, moves ~7 per ns). */
  floats: 6_000,
} as const;

/**
 * The chunk size for cutting `units` (rows, images, planes, elements) among the ready threads: all in
 * one chunk when the estimated one-thread time (`work` at `rate` per µs) is too short to share,
 * otherwise about one chunk per thread, rounded up to a multiple of `align`.
 */
export function chunkSize(units: number, work: number, rate: number, align = 1): number {
  const threads = work / rate < MIN_PARALLEL_MICROSECONDS ? 1 : readyThreads();
  if (threads === 1 || units <= align) return Math.max(units, 1);
  return Math.ceil(Math.ceil(units / threads) / align) * align;
}

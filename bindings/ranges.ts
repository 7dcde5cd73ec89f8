// Splitting a kernel call whose last two arguments are a range [start, end) across the thread pool:
// elementwise ops, optimiser updates, reductions over rows, strided copies, and the kernels over
// planes or images (adaptive pooling, resizing, augmentation).
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';

/** Elements of a chunk: a multiple of the SIMD width, so only the last chunk has a scalar tail. */
const ELEMENT_ALIGN = 4;

/**
 * Runs `kernel` with `args` and then a range of [0, units), in chunks (multiples of `align` units)
 * across the threads when the call's estimated one-thread time — `work` at `rate` per µs (split.ts's
 * RATES: streamed floats by default, or pooling taps) — is long enough to gain.
 */
export function runOverRange(kernel: string, args: readonly number[], units: number, work: number, rate: number = RATES.floats, align = 1): void {
  const all = [...args, 0, units];
  runChunked({ op: kernel, kernel, args: all, rangeArg: all.length - 2, total: units, chunkSize: chunkSize(units, work, rate, align) });
}

/** runOverRange over the elements [0, n) of a kernel that streams `streams` floats per element. */
export function runOverElements(kernel: string, args: readonly number[], n: number, streams: number): void {
  runOverRange(kernel, args, n, streams * n, RATES.floats, ELEMENT_ALIGN);
}

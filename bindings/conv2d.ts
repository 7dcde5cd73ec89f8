// Typed wrappers for the convolution kernels (assembly/conv2d.ts): the batch (or one image's output
// rows) is split across the thread pool, each thread with its own workspace.
import { wasm } from './instance.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, MIN_PARALLEL_MICROSECONDS, RATES } from './pool/split.js';
import { Scratch } from './pool/workspaces.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';

interface Conv2dExports {
  /** Takes the sizes without n. */
  conv2dWorkspaceBytes(...dims: number[]): number;
}

/** The weight gradient's sum over the batch is cut into about this many fixed chunks of output rows… */
const WEIGHT_GRAD_CHUNKS = 16;
/** …as far as their partial sums fit in this many bytes. */
const WEIGHT_GRAD_PARTIALS_BYTES = 32 << 20;

const workspaces = new Scratch();
const partials = new Scratch();

/** The size arguments every conv2d kernel takes after its buffers (then a range and the workspace). */
function sizes(d: Conv2dGeometry): number[] {
  return [d.n, d.c, d.h, d.w, d.k, d.r, d.s, d.strideH, d.strideW, d.padH, d.padW, d.dilationH, d.dilationW, d.groups];
}

/** Multiply-adds × 2 of one pass (forward, or either gradient) over the whole batch. */
function flops(d: Conv2dGeometry): number {
  return 2 * d.n * d.k * d.outH * d.outW * (d.c / d.groups) * d.r * d.s;
}

/** Each thread's workspace for this geometry, indexed by thread slot. */
function workspacesFor(d: Conv2dGeometry): readonly number[] {
  const [, ...withoutN] = sizes(d);
  return workspaces.bySlot(wasm<Conv2dExports>().conv2dWorkspaceBytes(...withoutN));
}

/**
 * Runs a conv2d kernel whose arguments before the sizes are `leading` (its buffers, and the forward's
 * ReLU flag) over its range [0, total) cut into chunks.
 */
function runConvKernel(kernel: string, leading: number[], d: Conv2dGeometry, total: number, perChunk: number, steps?: [number, number][]): void {
  const args = [...leading, ...sizes(d), 0, total, 0];
  runChunked({
    op: kernel,
    kernel,
    args,
    rangeArg: args.length - 3,
    total,
    chunkSize: perChunk,
    steps,
    workspaces: { arg: args.length - 1, bySlot: workspacesFor(d) },
  });
}

/**
 * out = conv2d(inp, weight) + bias over the batch, then max(out, 0) when `relu`; byte addresses, bias
 * 0 for none. The range is the batch's output rows, in whole images when there are several (one image
 * can be split by rows).
 */
export function conv2dForward(out: number, inp: number, weight: number, bias: number, d: Conv2dGeometry, relu = false): void {
  const rows = d.n * d.outH;
  runConvKernel('conv2dForward', [out, inp, weight, bias, relu ? 1 : 0], d, rows, chunkSize(rows, flops(d), RATES.flops, d.n > 1 ? d.outH : 1));
}

/**
 * dInp = the gradient of conv2d with respect to its input, given dOut. The range is the batch's input
 * channels, in whole images when there are several (one image can be split by channels).
 */
export function conv2dBackwardInput(dInp: number, dOut: number, weight: number, d: Conv2dGeometry): void {
  const channels = d.n * d.c;
  runConvKernel('conv2dBackwardInput', [dInp, dOut, weight], d, channels, chunkSize(channels, flops(d), RATES.flops, d.n > 1 ? d.c : 1));
}

/**
 * dWeight (and dBias unless 0) = the gradients of conv2d summed over the batch. The sum is cut into
 * fixed chunks of the batch's output rows that depend on the shapes only (never on the thread count);
 * each chunk's partial sums go to a buffer of their own and are then added in chunk order, so every
 * thread count gives the same bits. A convolution too small to share is one chunk.
 */
export function conv2dBackwardWeight(dWeight: number, dBias: number, dOut: number, inp: number, d: Conv2dGeometry): void {
  const rows = d.n * d.outH;
  const weights = d.k * (d.c / d.groups) * d.r * d.s;
  const rowsPerChunk = weightGradRowsPerChunk(d, 4 * (weights + d.k));
  const chunks = Math.ceil(rows / rowsPerChunk);
  if (chunks <= 1) {
    runConvKernel('conv2dBackwardWeight', [dWeight, dBias, dOut, inp], d, rows, Math.max(rows, 1));
    return;
  }
  // Partial sums [chunks, weights] then [chunks, k] (bias), in one buffer.
  const [partialWeights] = partials.buffers(4 * chunks * (weights + d.k), 1);
  const partialBias = dBias ? partialWeights + 4 * chunks * weights : 0;
  const steps: [number, number][] = dBias ? [[0, 4 * weights], [1, 4 * d.k]] : [[0, 4 * weights]];
  runConvKernel('conv2dBackwardWeight', [partialWeights, partialBias, dOut, inp], d, rows, rowsPerChunk, steps);
  sumChunks('conv2dBackwardWeight', dWeight, partialWeights, chunks, weights);
  if (dBias) sumChunks('conv2dBackwardWeight', dBias, partialBias, chunks, d.k);
}

/**
 * Output rows per chunk of the weight gradient's sum: all of them below the split threshold, else
 * about WEIGHT_GRAD_CHUNKS chunks (fewer when the partial sums would pass their byte budget), in
 * whole images once a chunk holds more than one.
 */
function weightGradRowsPerChunk(d: Conv2dGeometry, partialBytes: number): number {
  const rows = d.n * d.outH;
  if (flops(d) / RATES.flops < MIN_PARALLEL_MICROSECONDS) return Math.max(rows, 1);
  const chunks = Math.max(1, Math.min(WEIGHT_GRAD_CHUNKS, Math.floor(WEIGHT_GRAD_PARTIALS_BYTES / partialBytes)));
  const perChunk = Math.ceil(rows / chunks);
  return perChunk > d.outH ? Math.ceil(perChunk / d.outH) * d.outH : perChunk;
}

/** out[i] = Σ over chunks, in order, of partials[chunk, i] for i < length (assembly/reduce.ts sumChunks). */
function sumChunks(op: string, out: number, partialSums: number, chunks: number, length: number): void {
  runChunked({
    op,
    kernel: 'sumChunks',
    args: [out, partialSums, chunks, length, 0, length],
    rangeArg: 4,
    total: length,
    chunkSize: chunkSize(length, length * chunks, RATES.floats, 4),
  });
}

// Typed wrappers for the pooling kernels (assembly/pool2d.ts): the n·c planes are split across the
// thread pool, each thread with its own scratch plane.
import type { Pool2dGeometry } from '../src/backend/pool-ops.js';
import { wasm } from './instance.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';
import { Scratch } from './pool/workspaces.js';

interface Pool2dExports {
  pool2dWorkspaceBytes(h: number, w: number, padW: number): number;
}

const workspaces = new Scratch();

/**
 * Runs a pooling kernel over all planes: its leading arguments (buffers, and max backward's ReLU
 * flag), the geometry, the plane range and the thread's workspace, in that order (assembly/pool2d.ts).
 */
function runOverPlanes(kernel: string, leading: number[], g: Pool2dGeometry): void {
  const planes = g.n * g.c;
  const args = [...leading, g.h, g.w, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW, g.outH, g.outW, 0, planes, 0];
  const taps = planes * g.outH * g.outW * g.kernelH * g.kernelW;
  runChunked({
    op: kernel,
    kernel,
    args,
    rangeArg: args.length - 3,
    total: planes,
    chunkSize: chunkSize(planes, taps, RATES.taps),
    workspaces: { arg: args.length - 1, bySlot: workspaces.bySlot(wasm<Pool2dExports>().pool2dWorkspaceBytes(g.h, g.w, g.padW)) },
  });
}

/** out [n, c, outH, outW] = max pooling of x [n, c, h, w] (byte addresses). */
export function maxPool2dForward(out: number, x: number, g: Pool2dGeometry): void {
  runOverPlanes('f32MaxPool2dForward', [out, x], g);
}

/**
 * dx = max-pooling gradient of dy, routed to each window's argmax recomputed from x; with `reluMask`
 * (x a ReLU's output) on through that ReLU: 0 where x ≤ 0.
 */
export function maxPool2dBackward(dx: number, dy: number, x: number, g: Pool2dGeometry, reluMask = false): void {
  runOverPlanes('f32MaxPool2dBackward', [dx, dy, x, reluMask ? 1 : 0], g);
}

/** out [n, c, outH, outW] = average pooling of x [n, c, h, w] (divisor kernelH·kernelW). */
export function avgPool2dForward(out: number, x: number, g: Pool2dGeometry): void {
  runOverPlanes('f32AvgPool2dForward', [out, x], g);
}

/** dx = average-pooling gradient of dy. */
export function avgPool2dBackward(dx: number, dy: number, g: Pool2dGeometry): void {
  runOverPlanes('f32AvgPool2dBackward', [dx, dy], g);
}

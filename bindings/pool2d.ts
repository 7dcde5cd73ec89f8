// Typed wrappers for the pooling kernels (assembly/pool2d.ts); their scratch plane is allocated once
// and grown when a larger plane comes.
import type { Pool2dGeometry } from '../src/backend/pool-ops.js';
import { wasm } from './instance.js';
import { allocFloats, freeFloats } from './memory.js';

type PoolKernel = (...args: number[]) => void;

interface Pool2dExports {
  f32MaxPool2dForward: PoolKernel;
  f32MaxPool2dBackward: PoolKernel;
  f32AvgPool2dForward: PoolKernel;
  f32AvgPool2dBackward: PoolKernel;
  pool2dWorkspaceBytes(h: number, w: number, padW: number): number;
}

/** Planes [start, end) of the n·c planes to pool (default: all); a worker's share of a split call. */
export type PlaneRange = [number, number];

let workspace = 0;
let workspaceBytes = 0;

/** The scratch plane for geometry g (reused while large enough). */
function workspaceFor(g: Pool2dGeometry): number {
  const bytes = wasm<Pool2dExports>().pool2dWorkspaceBytes(g.h, g.w, g.padW);
  if (bytes > workspaceBytes) {
    if (workspace !== 0) freeFloats(workspace);
    workspace = allocFloats(bytes / 4);
    workspaceBytes = bytes;
  }
  return workspace;
}

/** The geometry arguments every pooling kernel takes after its buffers, planes last. */
function geometryArgs(g: Pool2dGeometry, planes: PlaneRange = [0, g.n * g.c]): number[] {
  return [g.h, g.w, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW, g.outH, g.outW, planes[0], planes[1]];
}

/** out [n, c, outH, outW] = max pooling of x [n, c, h, w] (byte addresses). */
export function maxPool2dForward(out: number, x: number, g: Pool2dGeometry, planes?: PlaneRange): void {
  const work = workspaceFor(g);
  wasm<Pool2dExports>().f32MaxPool2dForward(out, x, ...geometryArgs(g, planes), work);
}

/** dx = max-pooling gradient of dy, routed to each window's argmax recomputed from x. */
export function maxPool2dBackward(dx: number, dy: number, x: number, g: Pool2dGeometry, planes?: PlaneRange): void {
  const work = workspaceFor(g);
  wasm<Pool2dExports>().f32MaxPool2dBackward(dx, dy, x, ...geometryArgs(g, planes), work);
}

/** out [n, c, outH, outW] = average pooling of x [n, c, h, w] (divisor kernelH·kernelW). */
export function avgPool2dForward(out: number, x: number, g: Pool2dGeometry, planes?: PlaneRange): void {
  const work = workspaceFor(g);
  wasm<Pool2dExports>().f32AvgPool2dForward(out, x, ...geometryArgs(g, planes), work);
}

/** dx = average-pooling gradient of dy. */
export function avgPool2dBackward(dx: number, dy: number, g: Pool2dGeometry, planes?: PlaneRange): void {
  const work = workspaceFor(g);
  wasm<Pool2dExports>().f32AvgPool2dBackward(dx, dy, ...geometryArgs(g, planes), work);
}

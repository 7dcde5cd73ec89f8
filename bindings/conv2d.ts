// Typed wrappers for the convolution kernels (assembly/conv2d.ts), with one growable workspace.
import { wasm } from './instance.js';
import { allocFloats, freeFloats } from './memory.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';

type Dims = [
  n: number, c: number, h: number, w: number, k: number, r: number, s: number,
  strideH: number, strideW: number, padH: number, padW: number, dilationH: number, dilationW: number, groups: number,
];

interface Conv2dExports {
  conv2dForward(out: number, inp: number, weight: number, bias: number, ...rest: [...Dims, nStart: number, nEnd: number, work: number]): void;
  conv2dBackwardInput(dInp: number, dOut: number, weight: number, ...rest: [...Dims, nStart: number, nEnd: number, work: number]): void;
  conv2dBackwardWeight(dWeight: number, dBias: number, dOut: number, inp: number, ...rest: [...Dims, nStart: number, nEnd: number, work: number]): void;
  /** Takes the sizes without n. */
  conv2dWorkspaceBytes(...dims: number[]): number;
}

let workspace = 0;
let workspaceBytes = 0;

function dims(d: Conv2dGeometry): Dims {
  return [d.n, d.c, d.h, d.w, d.k, d.r, d.s, d.strideH, d.strideW, d.padH, d.padW, d.dilationH, d.dilationW, d.groups];
}

/** The shared workspace, grown (never shrunk) to what this geometry needs. */
function workspaceFor(d: Conv2dGeometry): number {
  const [, ...rest] = dims(d);
  const bytes = wasm<Conv2dExports>().conv2dWorkspaceBytes(...rest);
  if (bytes > workspaceBytes) {
    if (workspace !== 0) freeFloats(workspace);
    workspace = 0; // nothing stale is kept if the allocation below throws
    workspaceBytes = 0;
    workspace = allocFloats(Math.ceil(bytes / 4));
    workspaceBytes = bytes;
  }
  return workspace;
}

/** out = conv2d(inp, weight) + bias for images [nStart, nEnd) (default: all); byte addresses, bias 0 for none. */
export function conv2dForward(out: number, inp: number, weight: number, bias: number, d: Conv2dGeometry, nStart = 0, nEnd = d.n): void {
  const work = workspaceFor(d);
  wasm<Conv2dExports>().conv2dForward(out, inp, weight, bias, ...dims(d), nStart, nEnd, work);
}

/** dInp = the gradient of conv2d with respect to its input, given dOut, for images [nStart, nEnd). */
export function conv2dBackwardInput(dInp: number, dOut: number, weight: number, d: Conv2dGeometry, nStart = 0, nEnd = d.n): void {
  const work = workspaceFor(d);
  wasm<Conv2dExports>().conv2dBackwardInput(dInp, dOut, weight, ...dims(d), nStart, nEnd, work);
}

/** dWeight (and dBias unless 0) = the gradients of conv2d summed over images [nStart, nEnd). */
export function conv2dBackwardWeight(dWeight: number, dBias: number, dOut: number, inp: number, d: Conv2dGeometry, nStart = 0, nEnd = d.n): void {
  const work = workspaceFor(d);
  wasm<Conv2dExports>().conv2dBackwardWeight(dWeight, dBias, dOut, inp, ...dims(d), nStart, nEnd, work);
}

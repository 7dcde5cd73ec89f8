import type { ResizeOps } from '../resize-ops.js';
import { resize2dBackward, resize2dForward } from '../../../bindings/resize2d.js';
import { ptr } from './storage.js';

export const wasmResizeOps: ResizeOps = {
  resize2dForward: (out, x, g) => resize2dForward(ptr(out), ptr(x), g),
  resize2dBackward: (dx, dy, g) => resize2dBackward(ptr(dx), ptr(dy), g),
};

import type { PoolOps } from '../pool-ops.js';
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from '../../../bindings/pool2d.js';
import { ptr } from './storage.js';

export const wasmPoolOps: PoolOps = {
  maxPool2dForward: (out, x, g) => maxPool2dForward(ptr(out), ptr(x), g),
  maxPool2dBackward: (dx, dy, x, g, reluMask) => maxPool2dBackward(ptr(dx), ptr(dy), ptr(x), g, reluMask),
  avgPool2dForward: (out, x, g) => avgPool2dForward(ptr(out), ptr(x), g),
  avgPool2dBackward: (dx, dy, g) => avgPool2dBackward(ptr(dx), ptr(dy), g),
};

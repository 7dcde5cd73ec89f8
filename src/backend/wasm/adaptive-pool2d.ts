import type { AdaptivePoolOps } from '../adaptive-pool-ops.js';
import * as kernels from '../../../bindings/adaptive-pool2d.js';
import { ptr } from './storage.js';

export const wasmAdaptivePoolOps: AdaptivePoolOps = {
  adaptiveAvgPool2dForward: (out, x, g) => kernels.adaptiveAvgPool2dForward(ptr(out), ptr(x), g),
  adaptiveAvgPool2dBackward: (dx, dy, g) => kernels.adaptiveAvgPool2dBackward(ptr(dx), ptr(dy), g),
  adaptiveMaxPool2dForward: (out, x, g) => kernels.adaptiveMaxPool2dForward(ptr(out), ptr(x), g),
  adaptiveMaxPool2dBackward: (dx, dy, x, g) => kernels.adaptiveMaxPool2dBackward(ptr(dx), ptr(dy), ptr(x), g),
};

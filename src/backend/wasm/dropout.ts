import type { DropoutOps } from '../dropout-ops.js';
import { dropoutApply, dropoutMask } from '../../../bindings/dropout.js';
import { ptr } from './storage.js';

export const wasmDropoutOps: DropoutOps = {
  dropoutMask: (mask, bits, threshold, scale) => dropoutMask(ptr(mask), mask.length, bits, threshold, scale),
  dropoutApply: (out, x, mask, size) => dropoutApply(ptr(out), ptr(x), ptr(mask), size),
};

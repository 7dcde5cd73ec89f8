import type { SoftmaxOps } from '../softmax-ops.js';
import { softmaxBackward, softmaxForward } from '../../../bindings/softmax.js';
import { ptr } from './storage.js';

export const wasmSoftmaxOps: SoftmaxOps = {
  softmax: (y, x, outer, n, inner, log) => softmaxForward(ptr(y), ptr(x), outer, n, inner, log),
  softmaxBackward: (gx, gy, y, outer, n, inner, log) => softmaxBackward(ptr(gx), ptr(gy), ptr(y), outer, n, inner, log),
};

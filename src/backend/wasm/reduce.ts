import type { ReduceOps } from '../reduce-ops.js';
import { expandDim, maxAllBackward, maxDim, maxDimBackward, sumDim } from '../../../bindings/reduce.js';
import { ptr } from './storage.js';

export const wasmReduceOps: ReduceOps = {
  sumDim: (out, x, outer, n, inner, scale) => sumDim(ptr(out), ptr(x), outer, n, inner, scale),
  expandDim: (gx, gy, outer, n, inner, scale) => expandDim(ptr(gx), ptr(gy), outer, n, inner, scale),
  maxDim: (values, indices, x, outer, n, inner) => maxDim(ptr(values), ptr(indices), ptr(x), outer, n, inner),
  maxDimBackward: (gx, gy, indices, outer, n, inner) => maxDimBackward(ptr(gx), ptr(gy), ptr(indices), outer, n, inner),
  maxAllBackward: (gx, gy, x, max, n) => maxAllBackward(ptr(gx), ptr(gy), ptr(x), ptr(max), n),
};

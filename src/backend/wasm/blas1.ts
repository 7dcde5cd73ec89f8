import type { Blas1Ops } from '../blas1-ops.js';
import { axpy } from '../../../bindings/blas1.js';
import * as norm from '../../../bindings/norm.js';
import { ptr } from './storage.js';

export const wasmBlas1Ops: Blas1Ops = {
  axpy: (y, x, alpha, n) => axpy(ptr(y), ptr(x), alpha, n),
  scale: (x, alpha, n) => norm.scale(ptr(x), alpha, n),
  clamp: (x, lo, hi, n) => norm.clamp(ptr(x), lo, hi, n),
  powerSum: (x, n, p) => norm.powerSum(ptr(x), n, p),
  scalarPow: (base, exponent) => norm.pow(base, exponent),
};

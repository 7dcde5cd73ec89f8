import type { Blas1Ops } from '../blas1-ops.js';
import { axpy } from '../../../bindings/blas1.js';
import { ptr } from './storage.js';

export const wasmBlas1Ops: Blas1Ops = {
  axpy: (y, x, alpha, n) => axpy(ptr(y), ptr(x), alpha, n),
};

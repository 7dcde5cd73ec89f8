import type { Blas1Ops } from '../blas1-ops.js';
import { tsData } from './storage.js';

export const tsBlas1Ops: Blas1Ops = {
  axpy(y, x, alpha, n) {
    const Y = tsData(y);
    const X = tsData(x);
    const a = Math.fround(alpha);
    for (let i = 0; i < n; i++) Y[i] += Math.fround(a * X[i]);
  },
};

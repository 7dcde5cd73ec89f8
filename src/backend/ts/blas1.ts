import type { Blas1Ops } from '../blas1-ops.js';
import { tsData } from './storage.js';

export const tsBlas1Ops: Blas1Ops = {
  axpy(y, x, alpha, n) {
    const Y = tsData(y);
    const X = tsData(x);
    const a = Math.fround(alpha);
    for (let i = 0; i < n; i++) Y[i] += Math.fround(a * X[i]);
  },

  scale(x, alpha, n) {
    const X = tsData(x);
    const a = Math.fround(alpha);
    for (let i = 0; i < n; i++) X[i] *= a;
  },

  clamp(x, lo, hi, n) {
    const X = tsData(x);
    for (let i = 0; i < n; i++) {
      const v = X[i];
      X[i] = v < lo ? lo : hi < v ? hi : v;
    }
  },

  powerSum(x, n, p) {
    const X = tsData(x);
    let acc = 0;
    if (p === Infinity) {
      for (let i = 0; i < n; i++) {
        const a = Math.abs(X[i]);
        if (Number.isNaN(a)) return NaN;
        if (a > acc) acc = a;
      }
      return acc;
    }
    for (let i = 0; i < n; i++) acc += Math.abs(X[i]) ** p;
    return acc;
  },

  scalarPow: (base, exponent) => base ** exponent,
};

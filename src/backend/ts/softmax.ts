import type { SoftmaxOps } from '../softmax-ops.js';
import { tsData } from './storage.js';

export const tsSoftmaxOps: SoftmaxOps = {
  softmax(y, x, outer, n, inner, log) {
    const Y = tsData(y);
    const X = tsData(x);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        for (let d = 0; d < n; d++) max = Math.max(max, X[base + d * inner]); // NaN propagates
        let sum = 0;
        for (let d = 0; d < n; d++) {
          const e = Math.exp(X[base + d * inner] - max);
          if (!log) Y[base + d * inner] = e;
          sum += e;
        }
        const logSum = Math.log(sum);
        for (let d = 0; d < n; d++) {
          const p = base + d * inner;
          Y[p] = log ? X[p] - max - logSum : Y[p] / sum;
        }
      }
    }
  },

  softmaxBackward(gx, gy, y, outer, n, inner, log) {
    const GX = tsData(gx);
    const GY = tsData(gy);
    const Y = tsData(y);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let dot = 0;
        for (let d = 0; d < n; d++) dot += log ? GY[base + d * inner] : GY[base + d * inner] * Y[base + d * inner];
        for (let d = 0; d < n; d++) {
          const p = base + d * inner;
          GX[p] = log ? GY[p] - Math.exp(Y[p]) * dot : Y[p] * (GY[p] - dot);
        }
      }
    }
  },
};

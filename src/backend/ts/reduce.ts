import type { ReduceOps } from '../reduce-ops.js';
import { tsData } from './storage.js';

/** Whether v replaces best as the maximum: larger, or the first NaN. */
function beats(v: number, best: number): boolean {
  return v > best || (v !== v && best === best);
}

export const tsReduceOps: ReduceOps = {
  sumDim(out, x, outer, n, inner, scale) {
    const O = tsData(out);
    const X = tsData(x);
    const s = Math.fround(scale);
    const acc = new Float64Array(inner); // row by row, streaming memory, summed in f64
    for (let o = 0; o < outer; o++) {
      if (inner === 1) {
        let sum = 0;
        for (let d = o * n; d < (o + 1) * n; d++) sum += X[d];
        O[o] = Math.fround(sum) * s;
        continue;
      }
      acc.fill(0);
      for (let d = 0; d < n; d++) {
        const row = (o * n + d) * inner;
        for (let i = 0; i < inner; i++) acc[i] += X[row + i];
      }
      for (let i = 0; i < inner; i++) O[o * inner + i] = Math.fround(acc[i]) * s;
    }
  },

  expandDim(gx, gy, outer, n, inner, scale) {
    const GX = tsData(gx);
    const GY = tsData(gy);
    const s = Math.fround(scale);
    for (let o = 0; o < outer; o++) {
      for (let d = 0; d < n; d++) {
        const row = (o * n + d) * inner;
        for (let i = 0; i < inner; i++) GX[row + i] = GY[o * inner + i] * s;
      }
    }
  },

  maxDim(values, indices, x, outer, n, inner) {
    const V = tsData(values);
    const I = tsData(indices);
    const X = tsData(x);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = X[base];
        let bestIndex = 0;
        for (let d = 1; d < n; d++) {
          const v = X[base + d * inner];
          if (beats(v, best)) {
            best = v;
            bestIndex = d;
          }
        }
        V[o * inner + i] = best;
        I[o * inner + i] = bestIndex;
      }
    }
  },

  maxDimBackward(gx, gy, indices, outer, n, inner) {
    const GX = tsData(gx);
    const GY = tsData(gy);
    const I = tsData(indices);
    GX.fill(0, 0, outer * n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) GX[(o * n + I[o * inner + i]) * inner + i] = GY[o * inner + i];
    }
  },

  maxAllBackward(gx, gy, x, max, n) {
    const GX = tsData(gx);
    const X = tsData(x);
    const m = tsData(max)[0];
    const hit = (v: number) => (m !== m ? v !== v : v === m);
    let count = 0;
    for (let e = 0; e < n; e++) if (hit(X[e])) count++;
    const share = tsData(gy)[0] / count;
    for (let e = 0; e < n; e++) GX[e] = hit(X[e]) ? share : 0;
  },
};

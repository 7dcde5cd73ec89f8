import type { LossOps } from '../loss-ops.js';
import { tsData } from './storage.js';

// The losses in plain TypeScript, computed in f64 (JS numbers) and stored as f32: the oracle for the
// wasm kernels, which compute in f32 with f64 sums.
export const tsLossOps: LossOps = {
  crossEntropy(loss, logSumExp, logits, targets, n, c) {
    const X = tsData(logits);
    const T = tsData(targets);
    const L = tsData(logSumExp);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * c;
      let m = -Infinity;
      for (let j = 0; j < c; j++) m = Math.max(m, X[row + j]);
      let sum = 0;
      for (let j = 0; j < c; j++) sum += Math.exp(X[row + j] - m);
      const lse = m + Math.log(sum);
      L[i] = lse;
      total += lse - X[row + T[i]];
    }
    tsData(loss)[0] = total / n;
  },

  crossEntropyBackward(gradLogits, gradLoss, logits, logSumExp, targets, n, c) {
    const G = tsData(gradLogits);
    const X = tsData(logits);
    const L = tsData(logSumExp);
    const T = tsData(targets);
    const scale = tsData(gradLoss)[0] / n;
    for (let i = 0; i < n; i++) {
      const row = i * c;
      for (let j = 0; j < c; j++) G[row + j] = (Math.exp(X[row + j] - L[i]) - (j === T[i] ? 1 : 0)) * scale;
    }
  },

  multiMarginLoss(loss, scores, targets, n, c, margin, p) {
    const S = tsData(scores);
    const T = tsData(targets);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * c;
      const base = margin - S[row + T[i]];
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const z = base + S[row + j];
        if (j !== T[i] && z > 0) sum += p === 2 ? z * z : z;
      }
      total += sum / c;
    }
    tsData(loss)[0] = total / n;
  },

  multiMarginLossBackward(gradScores, gradLoss, scores, targets, n, c, margin, p) {
    const G = tsData(gradScores);
    const S = tsData(scores);
    const T = tsData(targets);
    const k = tsData(gradLoss)[0] / (n * c);
    for (let i = 0; i < n; i++) {
      const row = i * c;
      const y = T[i];
      const base = margin - S[row + y];
      let sum = 0;
      for (let j = 0; j < c; j++) {
        const z = base + S[row + j];
        const g = j !== y && z > 0 ? (p === 2 ? 2 * z * k : k) : 0;
        G[row + j] = g;
        sum += g;
      }
      G[row + y] = -sum;
    }
  },

  mseLoss(loss, a, b, size) {
    const A = tsData(a);
    const B = tsData(b);
    let sum = 0;
    for (let i = 0; i < size; i++) sum += (A[i] - B[i]) ** 2;
    tsData(loss)[0] = sum / size;
  },

  mseLossBackward(gradA, gradB, gradLoss, a, b, size) {
    const A = tsData(a);
    const B = tsData(b);
    const GA = gradA && tsData(gradA);
    const GB = gradB && tsData(gradB);
    const k = (2 * tsData(gradLoss)[0]) / size;
    for (let i = 0; i < size; i++) {
      const g = (A[i] - B[i]) * k;
      if (GA) GA[i] = g;
      if (GB) GB[i] = -g;
    }
  },
};

import type { Storage } from '../backend.js';
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

  crossEntropyClass(lossRows, logSumExp, logits, targets, weight, n, c, ignoreIndex, smoothing) {
    const X = tsData(logits);
    const T = tsData(targets);
    const W = weightsOf(weight, c);
    const out = tsData(lossRows);
    const L = tsData(logSumExp);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const y = T[i];
      if (y === ignoreIndex) {
        out[i] = 0;
        L[i] = 0;
        continue;
      }
      const row = i * c;
      const lse = logSumExpOf(X, row, c);
      L[i] = lse;
      let loss = W[y] * (lse - X[row + y]);
      if (smoothing !== 0) {
        let smooth = 0;
        for (let j = 0; j < c; j++) smooth += W[j] * (lse - X[row + j]);
        loss = (1 - smoothing) * loss + (smoothing / c) * smooth;
      }
      out[i] = loss;
      total += loss;
    }
    return total;
  },

  crossEntropyClassBackward(gradLogits, grad, gradStride, divisor, logits, logSumExp, targets, weight, n, c, ignoreIndex, smoothing) {
    const G = tsData(gradLogits);
    const X = tsData(logits);
    const L = tsData(logSumExp);
    const T = tsData(targets);
    const W = weightsOf(weight, c);
    const U = tsData(grad);
    let sumW = 0;
    for (let j = 0; j < c; j++) sumW += W[j];
    for (let i = 0; i < n; i++) {
      const row = i * c;
      const y = T[i];
      if (y === ignoreIndex) {
        G.fill(0, row, row + c);
        continue;
      }
      const g = U[i * gradStride] / divisor;
      const a = (1 - smoothing) * W[y] * g;
      const b = (smoothing / c) * g;
      for (let j = 0; j < c; j++) G[row + j] = Math.exp(X[row + j] - L[i]) * (a + b * sumW) - b * W[j] - (j === y ? a : 0);
    }
  },

  crossEntropyProb(lossRows, logSumExp, logits, targets, weight, n, c, smoothing) {
    const X = tsData(logits);
    const T = tsData(targets);
    const W = weightsOf(weight, c);
    const out = tsData(lossRows);
    const L = tsData(logSumExp);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * c;
      const lse = logSumExpOf(X, row, c);
      L[i] = lse;
      let loss = 0;
      for (let j = 0; j < c; j++) loss += W[j] * (T[row + j] * (1 - smoothing) + smoothing / c) * (lse - X[row + j]);
      out[i] = loss;
      total += loss;
    }
    return total;
  },

  crossEntropyProbBackward(gradLogits, gradTargets, grad, gradStride, divisor, logits, logSumExp, targets, weight, n, c, smoothing) {
    const G = tsData(gradLogits);
    const GT = gradTargets && tsData(gradTargets);
    const X = tsData(logits);
    const L = tsData(logSumExp);
    const T = tsData(targets);
    const W = weightsOf(weight, c);
    const U = tsData(grad);
    for (let i = 0; i < n; i++) {
      const row = i * c;
      const g = U[i * gradStride] / divisor;
      const t = (j: number) => T[row + j] * (1 - smoothing) + smoothing / c;
      let S = 0;
      for (let j = 0; j < c; j++) S += W[j] * t(j);
      for (let j = 0; j < c; j++) {
        G[row + j] = g * (Math.exp(X[row + j] - L[i]) * S - W[j] * t(j));
        if (GT) GT[row + j] = g * (1 - smoothing) * W[j] * (L[i] - X[row + j]);
      }
    }
  },

  bceWithLogits(out, x, y, posWeight, period, n) {
    const X = tsData(x);
    const Y = tsData(y);
    const P = posWeight && tsData(posWeight);
    const O = out && tsData(out);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const lw = P ? (P[i % period] - 1) * Y[i] + 1 : 1;
      const loss = (1 - Y[i]) * X[i] + lw * softplusNeg(X[i]);
      if (O) O[i] = loss;
      total += loss;
    }
    return total;
  },

  bceWithLogitsBackward(gx, gy, grad, gradStride, divisor, x, y, posWeight, period, n) {
    const X = tsData(x);
    const Y = tsData(y);
    const P = posWeight && tsData(posWeight);
    const U = tsData(grad);
    const GX = gx && tsData(gx);
    const GY = gy && tsData(gy);
    for (let i = 0; i < n; i++) {
      const g = U[i * gradStride] / divisor;
      const pw = P ? P[i % period] : 1;
      const s = 1 / (1 + Math.exp(-X[i]));
      if (GX) GX[i] = ((pw * Y[i] + 1 - Y[i]) * s - pw * Y[i]) * g;
      if (GY) GY[i] = (-X[i] + (pw - 1) * softplusNeg(X[i])) * g;
    }
  },

  bce(out, x, y, n) {
    const X = tsData(x);
    const Y = tsData(y);
    const O = out && tsData(out);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const loss = (Y[i] - 1) * Math.max(Math.log(1 - X[i]), -100) - Y[i] * Math.max(Math.log(X[i]), -100);
      if (O) O[i] = loss;
      total += loss;
    }
    return total;
  },

  bceBackward(gx, gy, grad, gradStride, divisor, x, y, n) {
    const X = tsData(x);
    const Y = tsData(y);
    const U = tsData(grad);
    const GX = gx && tsData(gx);
    const GY = gy && tsData(gy);
    for (let i = 0; i < n; i++) {
      const g = U[i * gradStride] / divisor;
      if (GX) GX[i] = (g * (X[i] - Y[i])) / Math.max((1 - X[i]) * X[i], 1e-12);
      if (GY) GY[i] = g * (Math.log(1 - X[i]) - Math.log(X[i]));
    }
  },

  pointwiseLoss(kind, out, a, b, n, param) {
    const A = tsData(a);
    const B = tsData(b);
    const O = out && tsData(out);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = A[i] - B[i];
      const z = Math.abs(d);
      const loss = kind === 'l1' ? z
        : kind === 'smoothL1' ? (z < param ? (0.5 * z * z) / param : z - 0.5 * param)
        : kind === 'huber' ? (z < param ? 0.5 * z * z : param * (z - 0.5 * param))
        : d * d;
      if (O) O[i] = loss;
      total += loss;
    }
    return total;
  },

  pointwiseLossBackward(kind, ga, gb, grad, gradStride, divisor, a, b, n, param) {
    const A = tsData(a);
    const B = tsData(b);
    const U = tsData(grad);
    const GA = ga && tsData(ga);
    const GB = gb && tsData(gb);
    // PyTorch's backward f(x) of smooth L1 and Huber; the target's gradient is f(−d).
    const f = (x: number, g: number) => kind === 'smoothL1'
      ? (x <= -param ? -g : x >= param ? g : (x * g) / param)
      : (x <= -param ? -g * param : x >= param ? g * param : x * g);
    for (let i = 0; i < n; i++) {
      const d = A[i] - B[i];
      const g = U[i * gradStride] / divisor;
      const ra = kind === 'l1' ? (d === 0 ? 0 : Math.sign(d) * g) : kind === 'squared' ? 2 * d * g : f(d, g);
      const rb = kind === 'l1' || kind === 'squared' ? -ra : f(-d, g);
      if (GA) GA[i] = ra;
      if (GB) GB[i] = rb;
    }
  },
};

/** Class weights as values (all 1 when omitted). */
function weightsOf(weight: Storage | undefined, c: number): Float32Array {
  return weight ? tsData(weight) : new Float32Array(c).fill(1);
}

/** log Σ exp over one row, max-subtracted. */
function logSumExpOf(X: Float32Array, row: number, c: number): number {
  let m = -Infinity;
  for (let j = 0; j < c; j++) m = Math.max(m, X[row + j]);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp(X[row + j] - m);
  return m + Math.log(sum);
}

/** softplus(−x) = log(1 + e^−x), stable for any x. */
function softplusNeg(x: number): number {
  const m = Math.max(-x, 0);
  return m + Math.log(Math.exp(-m) + Math.exp(-x - m));
}

import type { BatchNormOps } from '../batchnorm-ops.js';
import { tsData } from './storage.js';

// Batch normalisation in plain TypeScript, per channel over its n planes of hw values, with the
// sums in f64. The forward's per-channel scale and shift are rounded to f32 as the wasm kernel does.
export const tsBatchNormOps: BatchNormOps = {
  batchNormStats({ x, mean, variance, runningMean, runningVar, n, c, hw, momentum }) {
    const X = tsData(x);
    const count = n * hw;
    for (let ch = 0; ch < c; ch++) {
      let sum = 0;
      for (let i = 0; i < n; i++) for (let j = 0, p = (i * c + ch) * hw; j < hw; j++) sum += X[p + j];
      const mu = sum / count;
      let squares = 0;
      for (let i = 0; i < n; i++) for (let j = 0, p = (i * c + ch) * hw; j < hw; j++) squares += (X[p + j] - mu) ** 2;
      tsData(mean)[ch] = mu;
      tsData(variance)[ch] = squares / count;
      const RM = tsData(runningMean);
      const RV = tsData(runningVar);
      RM[ch] = (1 - momentum) * RM[ch] + momentum * mu;
      RV[ch] = (1 - momentum) * RV[ch] + momentum * (squares / (count - 1));
    }
  },

  batchNormForward({ y, x, mean, variance, weight, bias, eps, n, c, hw }) {
    const Y = tsData(y);
    const X = tsData(x);
    for (let ch = 0; ch < c; ch++) {
      const a = Math.fround((weight ? tsData(weight)[ch] : 1) / Math.sqrt(tsData(variance)[ch] + eps));
      const b = Math.fround((bias ? tsData(bias)[ch] : 0) - tsData(mean)[ch] * a);
      for (let i = 0; i < n; i++) for (let j = 0, p = (i * c + ch) * hw; j < hw; j++) Y[p + j] = Math.fround(X[p + j] * a) + b;
    }
  },

  batchNormBackward({ gradX, gradWeight, gradBias, gradY, x, mean, variance, weight, eps, n, c, hw, training }) {
    const DY = tsData(gradY);
    const X = tsData(x);
    const count = n * hw;
    for (let ch = 0; ch < c; ch++) {
      const mu = tsData(mean)[ch];
      const invstd = 1 / Math.sqrt(tsData(variance)[ch] + eps);
      let sumDy = 0;
      let dot = 0; // Σ dy·(x − mean)
      for (let i = 0; i < n; i++) {
        for (let j = 0, p = (i * c + ch) * hw; j < hw; j++) {
          sumDy += DY[p + j];
          dot += DY[p + j] * (X[p + j] - mu);
        }
      }
      if (gradBias) tsData(gradBias)[ch] = sumDy;
      if (gradWeight) tsData(gradWeight)[ch] = dot * invstd;
      if (!gradX) continue;
      const GX = tsData(gradX);
      const s = (weight ? tsData(weight)[ch] : 1) * invstd;
      const k = training ? (dot * invstd * invstd) / count : 0;
      const dm = training ? sumDy / count : 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0, p = (i * c + ch) * hw; j < hw; j++) {
          GX[p + j] = training ? (DY[p + j] - dm - (X[p + j] - mu) * k) * s : DY[p + j] * s;
        }
      }
    }
  },

  batchNormFold({ k, p, convWeight, convBias, weight, bias, mean, variance, eps, foldedConvWeight, foldedConvBias }) {
    const W = tsData(convWeight);
    const FW = tsData(foldedConvWeight);
    for (let ch = 0; ch < k; ch++) {
      // Each step rounded to f32 as the wasm kernel's f32 operations are (f64 then f32 gives the same bits).
      const s = Math.fround(tsData(weight)[ch] * Math.fround(1 / Math.sqrt(tsData(variance)[ch] + eps)));
      const shift = Math.fround(tsData(bias)[ch] - Math.fround(tsData(mean)[ch] * s));
      tsData(foldedConvBias)[ch] = convBias ? Math.fround(tsData(convBias)[ch] * s) + shift : shift;
      for (let i = ch * p; i < (ch + 1) * p; i++) FW[i] = W[i] * s;
    }
  },
};

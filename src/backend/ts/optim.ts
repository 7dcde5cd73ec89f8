import type { OptimOps } from '../optim-ops.js';
import { tsData } from './storage.js';

// The optimiser updates in plain TypeScript. Every operation is rounded to f32 (Math.fround) in the
// order the wasm kernels use, so both backends produce the same bits: +, ×, ÷ and √ of f32 values
// rounded once from f64 equal the f32 operations.
const f = Math.fround;

export const tsOptimOps: OptimOps = {
  sgdStep(a) {
    const P = tsData(a.param);
    const G = tsData(a.grad);
    const B = a.momentumBuffer ? tsData(a.momentumBuffer) : undefined;
    const negLr = f(-a.lr), mu = f(a.momentum), keep = f(1 - a.dampening), wd = f(a.weightDecay);
    const decay = a.weightDecay !== 0;
    const blend = !a.firstStep;
    for (let i = 0; i < P.length; i++) {
      const p = P[i];
      let d = G[i];
      if (decay) d = f(d + f(wd * p));
      if (B) {
        const b = blend ? f(f(B[i] * mu) + f(keep * d)) : d;
        B[i] = b;
        d = a.nesterov ? f(d + f(mu * b)) : b;
      }
      P[i] = p + f(negLr * d);
    }
  },
  adamStep(a) {
    const P = tsData(a.param);
    const G = tsData(a.grad);
    const M = tsData(a.expAvg);
    const V = tsData(a.expAvgSq);
    const VMax = a.maxExpAvgSq ? tsData(a.maxExpAvgSq) : undefined;
    const b1 = f(a.beta1), c1 = f(1 - a.beta1), b2 = f(a.beta2), c2 = f(1 - a.beta2);
    const eps = f(a.eps), wd = f(a.weightDecay), scale = f(a.paramScale);
    const negStep = f(-a.stepSize), bc2 = f(a.biasCorrection2Sqrt);
    const decay = a.weightDecay !== 0;
    for (let i = 0; i < P.length; i++) {
      const p = f(P[i] * scale);
      let g = G[i];
      if (decay) g = f(g + f(wd * p));
      const m = f(f(M[i] * b1) + f(c1 * g));
      const v = f(f(V[i] * b2) + f(f(c2 * g) * g));
      M[i] = m;
      V[i] = v;
      let vHat = v;
      if (VMax) {
        vHat = Math.max(VMax[i], v);
        VMax[i] = vHat;
      }
      const denom = f(f(f(Math.sqrt(vHat)) / bc2) + eps);
      P[i] = p + f(f(negStep * m) / denom);
    }
  },
};

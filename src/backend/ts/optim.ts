import type { OptimOps } from '../optim-ops.js';
import { tsData } from './storage.js';

// The optimiser updates in plain TypeScript, the fair baseline: hyper-parameters are rounded to f32
// as the wasm kernels round them, each element is computed in f64 in the kernels' order and rounded
// when stored. Results agree with the wasm kernels (f32 throughout) to a few ulps.
const f = Math.fround;

export const tsOptimOps: OptimOps = {
  sgdStep(a) {
    const P = tsData(a.param);
    const G = tsData(a.grad);
    const B = a.momentumBuffer ? tsData(a.momentumBuffer) : undefined;
    const negLr = f(-a.lr), mu = f(a.momentum), keep = f(1 - a.dampening), wd = f(a.weightDecay);
    const decay = a.weightDecay !== 0;
    const blend = !a.firstStep;
    const nesterov = a.nesterov;
    for (let i = 0; i < P.length; i++) {
      const p = P[i];
      let d = G[i];
      if (decay) d += wd * p;
      if (B) {
        const b = blend ? B[i] * mu + keep * d : d;
        B[i] = b;
        d = nesterov ? d + mu * B[i] : B[i];
      }
      P[i] = p + negLr * d;
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
      const p = P[i] * scale;
      let g = G[i];
      if (decay) g += wd * p;
      M[i] = M[i] * b1 + c1 * g;
      V[i] = V[i] * b2 + c2 * g * g;
      let vHat = V[i];
      if (VMax) vHat = VMax[i] = Math.max(VMax[i], vHat);
      P[i] = p + (negStep * M[i]) / (Math.sqrt(vHat) / bc2 + eps);
    }
  },
};

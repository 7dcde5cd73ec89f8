import type { OptimOps } from '../optim-ops.js';
import { adamStep, sgdStep } from '../../../bindings/optim.js';
import { ptr } from './storage.js';

export const wasmOptimOps: OptimOps = {
  sgdStep(a) {
    const buf = a.momentumBuffer ? ptr(a.momentumBuffer) : 0;
    sgdStep(ptr(a.param), ptr(a.grad), buf, a.param.length, a.lr, a.momentum, a.dampening, a.weightDecay, a.nesterov, a.firstStep);
  },
  adamStep(a) {
    const maxExpAvgSq = a.maxExpAvgSq ? ptr(a.maxExpAvgSq) : 0;
    adamStep(
      ptr(a.param), ptr(a.grad), ptr(a.expAvg), ptr(a.expAvgSq), maxExpAvgSq, a.param.length,
      a.beta1, a.beta2, a.eps, a.weightDecay, a.paramScale, a.stepSize, a.biasCorrection2Sqrt,
    );
  },
};

// Typed wrappers for the fused optimiser updates (assembly/optim.ts).
import { wasm } from './instance.js';

interface OptimExports {
  sgdStep(
    param: number, grad: number, buf: number, n: number,
    lr: number, momentum: number, dampening: number, weightDecay: number,
    nesterov: number, first: number,
  ): void;
  adamStep(
    param: number, grad: number, expAvg: number, expAvgSq: number, maxExpAvgSq: number, n: number,
    beta1: number, beta2: number, eps: number, weightDecay: number,
    paramScale: number, stepSize: number, bc2Sqrt: number,
  ): void;
}

/** One SGD update over `n` floats at byte addresses param, grad and buf (0: no momentum), in place. */
export function sgdStep(
  param: number, grad: number, buf: number, n: number,
  lr: number, momentum: number, dampening: number, weightDecay: number,
  nesterov: boolean, first: boolean,
): void {
  wasm<OptimExports>().sgdStep(param, grad, buf, n, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, first ? 1 : 0);
}

/** One Adam/AdamW update over `n` floats at the given byte addresses (maxExpAvgSq 0: no AMSGrad), in place. */
export function adamStep(
  param: number, grad: number, expAvg: number, expAvgSq: number, maxExpAvgSq: number, n: number,
  beta1: number, beta2: number, eps: number, weightDecay: number,
  paramScale: number, stepSize: number, bc2Sqrt: number,
): void {
  wasm<OptimExports>().adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, n, beta1, beta2, eps, weightDecay, paramScale, stepSize, bc2Sqrt);
}

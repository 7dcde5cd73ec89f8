// Typed wrappers for the fused optimiser updates (assembly/optim.ts); large updates are split across
// the thread pool by element ranges.
import { runOverElements } from './ranges.js';

/**
 * One SGD update over `n` floats at byte addresses param, grad and buf (0: no momentum), in place.
 * Streams per element: param read and written, grad read, and the buffer read and written.
 */
export function sgdStep(
  param: number, grad: number, buf: number, n: number,
  lr: number, momentum: number, dampening: number, weightDecay: number,
  nesterov: boolean, first: boolean,
): void {
  const args = [param, grad, buf, lr, momentum, dampening, weightDecay, nesterov ? 1 : 0, first ? 1 : 0];
  runOverElements('sgdStep', args, n, buf !== 0 ? 5 : 3);
}

/**
 * One Adam/AdamW update over `n` floats at the given byte addresses (maxExpAvgSq 0: no AMSGrad), in
 * place. Streams per element: grad read; param and both moments (and AMSGrad's max) read and written.
 */
export function adamStep(
  param: number, grad: number, expAvg: number, expAvgSq: number, maxExpAvgSq: number, n: number,
  beta1: number, beta2: number, eps: number, weightDecay: number,
  paramScale: number, stepSize: number, bc2Sqrt: number,
): void {
  const args = [param, grad, expAvg, expAvgSq, maxExpAvgSq, beta1, beta2, eps, weightDecay, paramScale, stepSize, bc2Sqrt];
  runOverElements('adamStep', args, n, maxExpAvgSq !== 0 ? 9 : 7);
}

// Typed wrappers for the batch-normalisation kernels (assembly/batchnorm.ts), over all channels.
import { wasm } from './instance.js';

interface BatchNormExports {
  f32BatchNormStats(mean: number, variance: number, runningMean: number, runningVar: number, x: number, n: number, c: number, hw: number, momentum: number, cStart: number, cEnd: number): void;
  f32BatchNormForward(y: number, x: number, mean: number, variance: number, weight: number, bias: number, eps: number, n: number, c: number, hw: number, cStart: number, cEnd: number): void;
  f32BatchNormBackward(
    gradX: number, gradWeight: number, gradBias: number, gradY: number, x: number,
    mean: number, variance: number, weight: number, eps: number,
    n: number, c: number, hw: number, training: number, cStart: number, cEnd: number,
  ): void;
  f32BatchNormFold(
    foldedWeight: number, foldedBias: number, weight: number, bias: number,
    gamma: number, beta: number, mean: number, variance: number, eps: number, p: number, kStart: number, kEnd: number,
  ): void;
}

/** Byte addresses of the buffers of one batch-norm call (0 where a buffer is absent) and its layout [n, c, hw]. */
export interface BatchNormCall {
  n: number; c: number; hw: number;
  x: number; mean: number; variance: number;
}

/** Batch mean and biased variance per channel; running statistics updated in place. */
export function batchNormStats(call: BatchNormCall & { runningMean: number; runningVar: number; momentum: number }): void {
  const { mean, variance, runningMean, runningVar, x, n, c, hw, momentum } = call;
  wasm<BatchNormExports>().f32BatchNormStats(mean, variance, runningMean, runningVar, x, n, c, hw, momentum, 0, c);
}

/** y = x·a + b per channel with a = weight / √(variance + eps), b = bias − mean·a. */
export function batchNormForward(call: BatchNormCall & { y: number; weight: number; bias: number; eps: number }): void {
  const { y, x, mean, variance, weight, bias, eps, n, c, hw } = call;
  wasm<BatchNormExports>().f32BatchNormForward(y, x, mean, variance, weight, bias, eps, n, c, hw, 0, c);
}

/** Gradients to x, weight and bias (address 0: not wanted). */
export function batchNormBackward(call: BatchNormCall & {
  gradX: number; gradWeight: number; gradBias: number; gradY: number; weight: number; eps: number; training: boolean;
}): void {
  const { gradX, gradWeight, gradBias, gradY, x, mean, variance, weight, eps, n, c, hw, training } = call;
  wasm<BatchNormExports>().f32BatchNormBackward(gradX, gradWeight, gradBias, gradY, x, mean, variance, weight, eps, n, c, hw, training ? 1 : 0, 0, c);
}

/** A conv weight [k, p] and bias (0: none) with an eval batch norm (γ, β, mean, variance [k]) folded in. */
export function batchNormFold(call: {
  foldedWeight: number; foldedBias: number; weight: number; bias: number;
  gamma: number; beta: number; mean: number; variance: number; eps: number; k: number; p: number;
}): void {
  const { foldedWeight, foldedBias, weight, bias, gamma, beta, mean, variance, eps, k, p } = call;
  wasm<BatchNormExports>().f32BatchNormFold(foldedWeight, foldedBias, weight, bias, gamma, beta, mean, variance, eps, p, 0, k);
}

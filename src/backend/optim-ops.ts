import type { Storage } from './backend.js';

/**
 * One SGD update of a parameter, in place (PyTorch 1.13's rule). With d₀ = g + weightDecay·p:
 * without a momentum buffer d = d₀; with one, b ← d₀ on its first step, else
 * b ← momentum·b + (1 − dampening)·d₀, and d = d₀ + momentum·b (nesterov) or b. Then p ← p − lr·d.
 */
export interface SgdStepArgs {
  /** The parameter p (updated in place). */
  param: Storage;
  /** Its gradient g, same length (read only). */
  grad: Storage;
  /** The momentum buffer b, same length (updated in place); omit when momentum is 0. */
  momentumBuffer?: Storage;
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  /** The buffer holds nothing yet: set it to d₀ instead of blending. */
  firstStep: boolean;
}

/**
 * One Adam/AdamW update of a parameter, in place (PyTorch 1.13's rule). In order: p ← paramScale·p;
 * g' = g + weightDecay·p; m ← β1·m + (1 − β1)·g'; v ← β2·v + (1 − β2)·g'²; v̂ = max(v̂, v) with
 * AMSGrad, else v; p ← p − stepSize·m / (√v̂ / biasCorrection2Sqrt + eps).
 */
export interface AdamStepArgs {
  /** The parameter p (updated in place). */
  param: Storage;
  /** Its gradient g, same length (read only). */
  grad: Storage;
  /** First moment m, same length (updated in place). */
  expAvg: Storage;
  /** Second moment v, same length (updated in place). */
  expAvgSq: Storage;
  /** AMSGrad's running maximum of v (updated in place); omit for plain Adam. */
  maxExpAvgSq?: Storage;
  beta1: number;
  beta2: number;
  eps: number;
  /** The L2 penalty added to the gradient (Adam); 0 for AdamW. */
  weightDecay: number;
  /** The factor p is multiplied by first: 1 − lr·wd for AdamW (decoupled decay), 1 for Adam. */
  paramScale: number;
  /** lr / (1 − β1^t) at step t. */
  stepSize: number;
  /** √(1 − β2^t) at step t. */
  biasCorrection2Sqrt: number;
}

/**
 * Fused optimiser updates. Unlike other primitives these update their storages in place: the
 * parameter and the optimiser state that lives next to it. Every storage has the parameter's length.
 */
export interface OptimOps {
  sgdStep(args: SgdStepArgs): void;
  adamStep(args: AdamStepArgs): void;
}

import type { Storage } from './backend.js';

/** The layout every batch-norm primitive works on: x is [n, c, hw] (NCHW with H·W flattened). */
export interface BatchNormLayout {
  n: number;
  c: number;
  hw: number;
}

/** Batch statistics of a training step, and the running statistics they update. */
export interface BatchNormStatsArgs extends BatchNormLayout {
  x: Storage;
  /** Batch mean [c] (out). */
  mean: Storage;
  /** Biased batch variance [c] (out). */
  variance: Storage;
  /** Running mean and variance [c], updated in place: r ← (1 − momentum)·r + momentum·batch (unbiased variance). */
  runningMean: Storage;
  runningVar: Storage;
  momentum: number;
}

/** y = (x − mean) / √(variance + eps) · weight + bias per channel. */
export interface BatchNormForwardArgs extends BatchNormLayout {
  y: Storage;
  x: Storage;
  /** Statistics [c]: the batch's in training, the running ones in eval. */
  mean: Storage;
  variance: Storage;
  /** Affine weight γ and bias β [c]; omitted means γ = 1, β = 0. */
  weight?: Storage;
  bias?: Storage;
  eps: number;
}

/** Gradients of the forward above; each output may be omitted when not wanted. */
export interface BatchNormBackwardArgs extends BatchNormLayout {
  gradY: Storage;
  x: Storage;
  mean: Storage;
  variance: Storage;
  weight?: Storage;
  eps: number;
  /** The statistics came from this batch (gradients flow through them), not from running stats. */
  training: boolean;
  gradX?: Storage;
  gradWeight?: Storage;
  gradBias?: Storage;
}

/** Batch normalisation over NCHW activations, per channel (PyTorch's semantics). */
export interface BatchNormOps {
  batchNormStats(args: BatchNormStatsArgs): void;
  batchNormForward(args: BatchNormForwardArgs): void;
  batchNormBackward(args: BatchNormBackwardArgs): void;
}

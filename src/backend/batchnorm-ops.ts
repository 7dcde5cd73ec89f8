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

/**
 * An eval-mode batch norm folded into the convolution before it, per output channel k, each step an
 * f32 operation: invstd = 1/√(variance + eps) (computed in f64, rounded to f32), s = weight·invstd,
 * shift = bias − mean·s, foldedConvWeight = convWeight·s, foldedConvBias = convBias·s + shift.
 */
export interface BatchNormFoldArgs {
  /** Output channels of the convolution (the batch norm's channels). */
  k: number;
  /** Floats of the conv weight per output channel (C/groups·R·S). */
  p: number;
  /** Conv weight [k, p] and bias [k]; an omitted bias counts as 0 (foldedConvBias = shift). */
  convWeight: Storage;
  convBias?: Storage;
  /** The batch norm's affine weight γ and bias β, and its running statistics [k]. */
  weight: Storage;
  bias: Storage;
  mean: Storage;
  variance: Storage;
  eps: number;
  /** Outputs [k, p] and [k], written whole. */
  foldedConvWeight: Storage;
  foldedConvBias: Storage;
}

/** Batch normalisation over NCHW activations, per channel (PyTorch's semantics). */
export interface BatchNormOps {
  batchNormStats(args: BatchNormStatsArgs): void;
  batchNormForward(args: BatchNormForwardArgs): void;
  batchNormBackward(args: BatchNormBackwardArgs): void;
  batchNormFold(args: BatchNormFoldArgs): void;
}

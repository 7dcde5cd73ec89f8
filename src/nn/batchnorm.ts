import { batchNorm } from '../functional/batchnorm.js';
import { full, zeros } from '../creation.js';
import { SimdnnError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Options of `BatchNorm1d` and `BatchNorm2d`, as PyTorch's. */
export interface BatchNormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
}

/** The options of `BatchNorm2d` (the same as `BatchNorm1d`'s). */
export type BatchNorm2dOptions = BatchNormOptions;

/**
 * Batch normalisation per channel (dimension 1) over the batch and the dimensions after the channel.
 * Training mode normalises with batch statistics and updates the running ones; eval mode uses the
 * running statistics. State names as PyTorch's (`weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`).
 */
abstract class BatchNorm extends Module {
  readonly weight: Tensor | undefined;
  readonly bias: Tensor | undefined;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true }: BatchNormOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new SimdnnError(`${new.target.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.registerParameter('weight', full([numFeatures], 1)) : undefined;
    this.bias = affine ? this.registerParameter('bias', zeros([numFeatures])) : undefined;
    this.runningMean = this.registerBuffer('running_mean', zeros([numFeatures]));
    this.runningVar = this.registerBuffer('running_var', full([numFeatures], 1));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', zeros([]));
  }

  /** The input ranks the layer takes, and how to name them in an error. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly expected: string;

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim)) throw new SimdnnError(`${this.constructor.name}: expected ${this.expected} input, got ${formatShape(x.shape)}`);
    if (this.training) {
      const count = this.numBatchesTracked;
      count.backend.write(count.storage, Float32Array.of(count.item() + 1));
    }
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: this.training, momentum: this.momentum, eps: this.eps,
    });
  }
}

/** Batch normalisation of [N, C] or [N, C, L] input per channel C (over N, and L). */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
  protected readonly expected = '2-D [N, C] or 3-D [N, C, L]';
}

/** Batch normalisation of [N, C, H, W] input per channel C (over N, H and W). */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
  protected readonly expected = '4-D [N, C, H, W]';
}

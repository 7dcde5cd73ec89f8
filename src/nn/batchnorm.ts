import { batchNorm2d } from '../functional/batchnorm.js';
import { full, zeros } from '../creation.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Options of `BatchNorm2d`, as PyTorch's. */
export interface BatchNorm2dOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
}

/**
 * Batch normalisation over N, H, W per channel. Training mode normalises with batch statistics and
 * updates the running ones; eval mode uses the running statistics. State names as PyTorch's
 * (`weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`).
 */
export class BatchNorm2d extends Module {
  readonly weight: Tensor | undefined;
  readonly bias: Tensor | undefined;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly numFeatures: number, { eps = 1e-5, momentum = 0.1, affine = true }: BatchNorm2dOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new SimdnnError(`BatchNorm2d: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.registerParameter('weight', full([numFeatures], 1)) : undefined;
    this.bias = affine ? this.registerParameter('bias', zeros([numFeatures])) : undefined;
    this.runningMean = this.registerBuffer('running_mean', zeros([numFeatures]));
    this.runningVar = this.registerBuffer('running_var', full([numFeatures], 1));
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', zeros([]));
  }

  forward(x: Tensor): Tensor {
    if (this.training) {
      const count = this.numBatchesTracked;
      count.backend.write(count.storage, Float32Array.of(count.item() + 1));
    }
    return batchNorm2d(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: this.training, momentum: this.momentum, eps: this.eps,
    });
  }
}

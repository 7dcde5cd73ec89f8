import { dropout } from '../functional/dropout.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Zeroes each element with probability p in training mode (scaling the rest by 1/(1−p)); identity in eval. */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new SimdnnError(`Dropout: p must be in [0, 1], got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
}

import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Flattens dimensions from `startDim` (default 1, keeping the batch) into one. */
export class Flatten extends Module {
  constructor(readonly startDim = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim);
  }
}

import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Returns its input unchanged (a placeholder, as PyTorch's nn.Identity). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

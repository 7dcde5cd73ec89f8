import { interpolate, type InterpolateOptions } from '../functional/interpolate.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/**
 * Resizes [N, C, H, W] images to `size` or by `scaleFactor`, nearest (default) or bilinear, as
 * PyTorch's nn.Upsample: `new Upsample({ scaleFactor: 2, mode: 'bilinear' })`.
 */
export class Upsample extends Module {
  constructor(readonly options: InterpolateOptions) {
    super();
  }
  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }
}

import { adaptiveAvgPool2d, adaptiveMaxPool2d, adaptivePool2dGeometry, type AdaptiveSize } from '../functional/adaptive-pool2d.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

abstract class AdaptivePool2d extends Module {
  /** The output's [h, w] (null keeps the input's size), or one number for both. */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
    adaptivePool2dGeometry(new.target.name, [1, 1, 1], outputSize); // checks outputSize now
  }
}

/** Average pooling to a fixed output size (1: global average pooling), as PyTorch's nn.AdaptiveAvgPool2d. */
export class AdaptiveAvgPool2d extends AdaptivePool2d {
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}

/** Max pooling to a fixed output size, as PyTorch's nn.AdaptiveMaxPool2d (values only). */
export class AdaptiveMaxPool2d extends AdaptivePool2d {
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool2d(x, this.outputSize);
  }
}

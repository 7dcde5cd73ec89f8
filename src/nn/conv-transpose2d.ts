import { convTranspose2d } from '../functional/conv-transpose2d.js';
import type { Tensor } from '../tensor.js';
import { ConvLayer, type ConvLayerOptions } from './conv-layer.js';
import { pair } from './pair.js';

/** Options of `ConvTranspose2d`: Conv2d's, and `outputPadding` (below stride) added to the output's bottom and right. */
export interface ConvTranspose2dOptions extends ConvLayerOptions {
  outputPadding?: number | [number, number];
}

/**
 * 2-D transposed convolution over NCHW input (upsampling by `stride`), as PyTorch's
 * nn.ConvTranspose2d: weight [in, out/groups, kH, kW], bias [out], PyTorch's initialisation.
 */
export class ConvTranspose2d extends ConvLayer {
  readonly outputPadding: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: ConvTranspose2dOptions = {}) {
    super('ConvTranspose2d', inChannels, outChannels, kernelSize, options, true);
    this.outputPadding = pair(options.outputPadding ?? 0);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }
}

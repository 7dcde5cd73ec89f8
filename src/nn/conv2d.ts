import { conv2d } from '../functional/conv2d.js';
import type { Tensor } from '../tensor.js';
import { ConvLayer, type ConvLayerOptions } from './conv-layer.js';

/** Options of `Conv2d`; each spatial option is a number or `[h, w]`. */
export type Conv2dOptions = ConvLayerOptions;

/** 2-D convolution over NCHW input; weight [out, in/groups, kH, kW]; PyTorch's initialisation. */
export class Conv2d extends ConvLayer {
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], options: Conv2dOptions = {}) {
    super('Conv2d', inChannels, outChannels, kernelSize, options, false);
  }

  forward(x: Tensor): Tensor {
    return this.convolve(x);
  }

  /**
   * `relu(this.forward(x))` in one pass over the output, with the same bits and gradients (conv2d's
   * `activation: 'relu'`). `nn.Sequential` calls it for a Conv2d followed by a ReLU.
   */
  forwardRelu(x: Tensor): Tensor {
    return this.convolve(x, 'relu');
  }

  private convolve(x: Tensor, activation?: 'relu'): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups, activation });
  }
}

import { conv2d, conv2dReluMaxPool2d, type Conv2dFunctionalOptions } from '../functional/conv2d.js';
import type { Tensor } from '../tensor.js';
import { ConvLayer, type ConvLayerOptions } from './conv-layer.js';
import type { MaxPool2d } from './pooling.js';

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

  /**
   * `pool.forward(relu(this.forward(x)))` as one op, with the same bits and gradients (see
   * `conv2dReluMaxPool2d` in functional/conv2d.ts). `nn.Sequential` calls it for a Conv2d, ReLU, MaxPool2d.
   */
  forwardReluMaxPool(x: Tensor, pool: MaxPool2d): Tensor {
    const poolOptions = { kernelSize: pool.kernelSize, stride: pool.stride, padding: pool.padding };
    return conv2dReluMaxPool2d(x, this.weight, this.bias, this.convOptions, poolOptions);
  }

  private convolve(x: Tensor, activation?: 'relu'): Tensor {
    return conv2d(x, this.weight, this.bias, { ...this.convOptions, activation });
  }

  private get convOptions(): Conv2dFunctionalOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
}

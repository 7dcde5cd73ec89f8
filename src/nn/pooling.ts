import { avgPool2d, maxPool2d } from '../functional/pool2d.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { pair } from './pair.js';

/** Options of the pooling layers; `stride` defaults to the kernel size. */
export interface Pool2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
}

abstract class Pool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(kernelSize: number | [number, number], options: Pool2dOptions = {}) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(options.stride ?? kernelSize);
    this.padding = pair(options.padding ?? 0);
  }

  protected get options(): { kernelSize: [number, number]; stride: [number, number]; padding: [number, number] } {
    return { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding };
  }
}

/** Max over each kernel window (NCHW). */
export class MaxPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.options);
  }
}

/** Mean over each kernel window, padding counted (PyTorch's count_include_pad default). */
export class AvgPool2d extends Pool2d {
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.options);
  }
}

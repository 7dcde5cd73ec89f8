import { conv2d } from '../functional/conv2d.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultInitBound, uniform } from './default-init.js';
import { Module } from './module.js';
import { pair } from './pair.js';

/** Options of `Conv2d`; each spatial option is a number or `[h, w]`. */
export interface Conv2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
  bias?: boolean;
}

/** 2-D convolution over NCHW input; weight [out, in/groups, kH, kW]; PyTorch's initialisation. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: number | [number, number], options: Conv2dOptions = {}) {
    super();
    const { groups = 1, bias = true } = options;
    this.kernelSize = pair(kernelSize);
    this.stride = pair(options.stride ?? 1);
    this.padding = pair(options.padding ?? 0);
    this.dilation = pair(options.dilation ?? 1);
    this.groups = groups;
    for (const [name, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups], ['kernelSize', this.kernelSize[0]], ['kernelSize', this.kernelSize[1]]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new SimdnnError(`Conv2d: ${name} must be a positive integer, got ${v}`);
    }
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new SimdnnError(`Conv2d: groups=${groups} must divide inChannels=${inChannels} and outChannels=${outChannels}`);
    }
    const fanIn = (inChannels / groups) * this.kernelSize[0] * this.kernelSize[1];
    const bound = defaultInitBound(fanIn);
    this.weight = this.registerParameter('weight', uniform([outChannels, inChannels / groups, ...this.kernelSize], bound));
    this.bias = bias ? this.registerParameter('bias', uniform([outChannels], bound)) : undefined;
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}

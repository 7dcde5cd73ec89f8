// The parameters and sizes Conv2d and ConvTranspose2d share, checked once, with PyTorch's default
// initialisation.
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultInitBound, uniform } from './default-init.js';
import { Module } from './module.js';
import { pair } from './pair.js';

/** Options shared by the convolution layers; each spatial option is a number or `[h, w]`. */
export interface ConvLayerOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
  bias?: boolean;
}

/**
 * A convolution layer: `weight` [out, in/groups, kH, kW] (or [in, out/groups, kH, kW] when
 * transposed, as PyTorch's ConvTranspose2d), `bias` [out]; both U(±1/√fanIn) with fanIn =
 * weight.shape[1]·kH·kW, as PyTorch initialises them.
 */
export abstract class ConvLayer extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  protected constructor(
    layer: string, readonly inChannels: number, readonly outChannels: number, kernelSize: number | [number, number],
    options: ConvLayerOptions, transposed: boolean,
  ) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = pair(options.stride ?? 1);
    this.padding = pair(options.padding ?? 0);
    this.dilation = pair(options.dilation ?? 1);
    this.groups = options.groups ?? 1;
    const counts = [['inChannels', inChannels], ['outChannels', outChannels], ['groups', this.groups], ['kernelSize', this.kernelSize[0]], ['kernelSize', this.kernelSize[1]]] as const;
    for (const [name, v] of counts) {
      if (!Number.isInteger(v) || v <= 0) throw new SimdnnError(`${layer}: ${name} must be a positive integer, got ${v}`);
    }
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new SimdnnError(`${layer}: groups=${this.groups} must divide inChannels=${inChannels} and outChannels=${outChannels}`);
    }
    const channels = transposed ? [inChannels, outChannels / this.groups] : [outChannels, inChannels / this.groups];
    const bound = defaultInitBound(channels[1] * this.kernelSize[0] * this.kernelSize[1]);
    this.weight = this.registerParameter('weight', uniform([...channels, ...this.kernelSize], bound));
    this.bias = (options.bias ?? true) ? this.registerParameter('bias', uniform([outChannels], bound)) : undefined;
  }
}

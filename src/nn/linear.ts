import { linear } from '../functional/linear.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { defaultInitBound, uniform } from './default-init.js';
import { Module } from './module.js';

/** y = x·Wᵀ + b. Weight [outFeatures, inFeatures], bias [outFeatures]; PyTorch's initialisation. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | undefined;

  constructor(readonly inFeatures: number, readonly outFeatures: number, { bias = true }: { bias?: boolean } = {}) {
    super();
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new SimdnnError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    const bound = defaultInitBound(inFeatures);
    this.weight = this.registerParameter('weight', uniform([outFeatures, inFeatures], bound));
    this.bias = bias ? this.registerParameter('bias', uniform([outFeatures], bound)) : undefined;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

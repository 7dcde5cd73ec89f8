import type { Tensor } from '../../src/tensor.js';
import type { HasStateDict } from '../../src/io/index.js';

/** The smallest model `sn.io.save` and `load` accept: a state dict held as it is. */
export class Weights implements HasStateDict {
  constructor(public tensors: Record<string, Tensor>) {}
  stateDict(): Record<string, Tensor> {
    return this.tensors;
  }
  loadStateDict(stateDict: Record<string, Tensor>): void {
    this.tensors = stateDict;
  }
}

import { isGradEnabled } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Runs its layers in order; they are named "0", "1", … as in PyTorch. */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.registerModule(String(i), layer));
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (const layer of this.layers) {
      const next = layer.forward(h);
      if (h !== x && next !== h) releaseBetweenLayers(h, next);
      h = next;
    }
    return h;
  }
}

/**
 * An activation between two layers never reaches user code, so its memory is returned as soon as
 * nothing needs it: now when no graph was recorded, after `backward()` otherwise.
 */
function releaseBetweenLayers(h: Tensor, next: Tensor): void {
  if (isGradEnabled() && next.gradFn) h.releaseAfterBackward = true;
  else if (next.storage !== h.storage) h.dispose();
}

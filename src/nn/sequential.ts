import { isGradEnabled } from '../autograd.js';
import type { Tensor } from '../tensor.js';
import { ReLU } from './activations.js';
import { Conv2d } from './conv2d.js';
import { Module } from './module.js';
import { MaxPool2d } from './pooling.js';

/**
 * Runs its layers in order; they are named "0", "1", … as in PyTorch. A `Conv2d` followed by a `ReLU`
 * runs as one convolution with the ReLU applied in the same pass (`Conv2d.forwardRelu`), and with a
 * `MaxPool2d` after them as one op whose backward passes the ReLU in the pooling's kernel
 * (`Conv2d.forwardReluMaxPool`): the same values and gradients, fewer passes over the convolution's
 * output (unless one of the layers' `forward` was replaced).
 */
export class Sequential extends Module {
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.registerModule(String(i), layer));
  }

  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      let next: Tensor;
      const convRelu = isPlain(layer, Conv2d) && isPlain(this.layers[i + 1], ReLU);
      const pool = this.layers[i + 2];
      if (convRelu && isPlain(pool, MaxPool2d)) {
        next = layer.forwardReluMaxPool(h, pool);
        i += 2;
      } else if (convRelu) {
        next = layer.forwardRelu(h);
        i++;
      } else {
        next = layer.forward(h);
      }
      if (h !== x && next !== h) releaseBetweenLayers(h, next);
      h = next;
    }
    return h;
  }
}

/** Whether `layer` is a `type` whose forward is the class's own (not a subclass's, nor replaced on the instance). */
function isPlain<T extends Module>(layer: Module | undefined, type: abstract new (...args: never[]) => T): layer is T {
  return layer instanceof type && layer.forward === type.prototype.forward;
}

/**
 * An activation between two layers never reaches user code, so its memory is returned as soon as
 * nothing needs it: now when no graph was recorded, after `backward()` otherwise.
 */
function releaseBetweenLayers(h: Tensor, next: Tensor): void {
  if (isGradEnabled() && next.gradFn) h.releaseAfterBackward = true;
  else if (next.storage !== h.storage) h.dispose();
}

import { gelu, hardsigmoid, hardswish, leakyRelu, relu, relu6, sigmoid, silu, tanh, type GeluOptions } from '../functional/activations.js';
import { softmax } from '../functional/softmax.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x for x ≥ 0, slope·x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** Softmax along `dim`. */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
}

/** min(max(x, 0), 6). */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return relu6(x);
  }
}

/** x·sigmoid(x) (swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** x·Φ(x) with the normal CDF Φ; `{ approximate: 'tanh' }` for PyTorch's tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor({ approximate = 'none' }: GeluOptions = {}) {
    super();
    this.approximate = approximate;
  }
  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }
}

/** x·min(max(x + 3, 0), 6)/6. */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return hardswish(x);
  }
}

/** min(max(x + 3, 0), 6)/6. */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return hardsigmoid(x);
  }
}

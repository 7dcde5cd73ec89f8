// Activations of sn.F; the elementwise machinery and gradient rules live in src/ops/unary.ts.
import { SimdnnError } from '../errors.js';
import { applyUnary } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';

/** max(x, 0) elementwise (NaN stays NaN; gradient 0 where the output is ≤ 0). */
export function relu(x: Tensor): Tensor {
  return applyUnary('relu', x);
}

/** x where x > 0, slope·x elsewhere (PyTorch's negative_slope, default 0.01). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  if (typeof slope !== 'number' || Number.isNaN(slope)) throw new SimdnnError(`leakyRelu: slope must be a number, got ${String(slope)}`);
  return applyUnary('leakyRelu', x, slope);
}

/** 1 / (1 + e^−x) elementwise; the gradient y·(1 − y) is computed from the output. */
export function sigmoid(x: Tensor): Tensor {
  return applyUnary('sigmoid', x);
}

/** Hyperbolic tangent elementwise; the gradient 1 − y² is computed from the output. */
export function tanh(x: Tensor): Tensor {
  return applyUnary('tanh', x);
}

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

/** min(max(x, 0), 6) elementwise (PyTorch's relu6; gradient 1 strictly between 0 and 6). */
export function relu6(x: Tensor): Tensor {
  return applyUnary('relu6', x);
}

/** x·sigmoid(x) = x / (1 + e^−x) elementwise (SiLU, also called swish). */
export function silu(x: Tensor): Tensor {
  return applyUnary('silu', x);
}

/** Options of `gelu`: PyTorch's `approximate`. */
export interface GeluOptions {
  /** `'none'` (default): x·Φ(x) with the normal CDF Φ(x) = ½·(1 + erf(x/√2)); `'tanh'`: PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * GELU elementwise, as PyTorch's `F.gelu`: x·½·(1 + erf(x/√2)), or with `approximate: 'tanh'`
 * ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export function gelu(x: Tensor, { approximate = 'none' }: GeluOptions = {}): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new SimdnnError(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  }
  return applyUnary(approximate === 'tanh' ? 'geluTanh' : 'gelu', x);
}

/** x·min(max(x + 3, 0), 6)/6 elementwise (MobileNetV3's hard swish). */
export function hardswish(x: Tensor): Tensor {
  return applyUnary('hardswish', x);
}

/** min(max(x + 3, 0), 6)/6 elementwise (a piecewise-linear sigmoid). */
export function hardsigmoid(x: Tensor): Tensor {
  return applyUnary('hardsigmoid', x);
}

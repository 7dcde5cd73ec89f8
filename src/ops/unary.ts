// Elementwise unary ops with their gradients: sn.neg, sn.exp, sn.log, sn.sqrt, sn.pow, and the
// activations of sn.F (src/functional/activations.ts) through `applyUnary`.
import { recordOp } from '../autograd.js';
import type { UnaryOp } from '../backend/elementwise-ops.js';
import { SimdnnError } from '../errors.js';
import { Tensor } from '../tensor.js';

// Ops whose derivative is computed from the output y (the rest use the input x).
const SAVES_OUTPUT: ReadonlySet<UnaryOp> = new Set(['relu', 'sigmoid', 'tanh', 'exp', 'sqrt']);

/** f(x) elementwise, recording nothing (also used inside gradient rules). */
export function applyUnaryRaw(op: UnaryOp, x: Tensor, param = 0): Tensor {
  const out = x.backend.empty(x.size);
  x.backend.unary(op, out, x.storage, x.size, param);
  return new Tensor(out, x.shape, x.backend);
}

/** f(x) elementwise with its gradient rule; `param` is leakyRelu's slope or pow's exponent. */
export function applyUnary(op: UnaryOp, x: Tensor, param = 0): Tensor {
  if (!(x instanceof Tensor)) throw new SimdnnError(`${op}: expected a tensor, got ${typeof x}`);
  const y = applyUnaryRaw(op, x, param);
  return recordOp(op, y, [x], (gy) => {
    const backend = x.backend;
    const gx = backend.empty(x.size);
    backend.unaryBackward(op, gx, gy.storage, (SAVES_OUTPUT.has(op) ? y : x).storage, x.size, param);
    return [new Tensor(gx, x.shape, backend)];
  });
}

/** −x. */
export function neg(x: Tensor): Tensor {
  return applyUnary('neg', x);
}

/** eˣ elementwise. */
export function exp(x: Tensor): Tensor {
  return applyUnary('exp', x);
}

/** Natural logarithm elementwise (−Infinity at 0, NaN below, as in PyTorch). */
export function log(x: Tensor): Tensor {
  return applyUnary('log', x);
}

/** Square root elementwise (NaN below 0). */
export function sqrt(x: Tensor): Tensor {
  return applyUnary('sqrt', x);
}

/** xᵉ elementwise for a number exponent e (gradient e·xᵉ⁻¹; 0 when e = 0). */
export function pow(x: Tensor, exponent: number): Tensor {
  if (typeof exponent !== 'number') throw new SimdnnError(`pow: the exponent must be a number, got ${typeof exponent}`);
  return applyUnary('pow', x, exponent);
}

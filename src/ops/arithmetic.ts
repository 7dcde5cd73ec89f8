// Broadcasting arithmetic: sn.add, sn.sub, sn.mul, sn.div. Either side may be a plain number.
// Gradients are summed back to each operand's own shape (sumToShape), as in PyTorch.
import { recordOp } from '../autograd.js';
import type { Backend } from '../backend/index.js';
import { broadcastLayout, broadcastShapes } from '../backend/broadcast.js';
import type { BinaryOp } from '../backend/elementwise-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import { currentBackend } from '../backend/index.js';
import { shapeSize } from '../shape.js';
import { Tensor } from '../tensor.js';
import { commonBackend } from './dims.js';
import { sumToShape } from './reduce.js';
import { applyUnaryRaw } from './unary.js';

/** A tensor, or a number standing for a 0-d tensor. */
export type Operand = Tensor | number;

/** a + b, broadcasting. */
export function add(a: Operand, b: Operand): Tensor {
  return binary('add', a, b);
}

/** a − b, broadcasting. */
export function sub(a: Operand, b: Operand): Tensor {
  return binary('sub', a, b);
}

/** a · b elementwise, broadcasting. */
export function mul(a: Operand, b: Operand): Tensor {
  return binary('mul', a, b);
}

/** a / b elementwise, broadcasting (IEEE: x/0 is ±Infinity or NaN, as in PyTorch). */
export function div(a: Operand, b: Operand): Tensor {
  return binary('div', a, b);
}

function binary(op: BinaryOp, a: Operand, b: Operand): Tensor {
  const backend = a instanceof Tensor ? a.backend : b instanceof Tensor ? b.backend : currentBackend();
  const ta = asTensor(a, backend);
  const tb = asTensor(b, backend);
  commonBackend(op, ta, tb);
  const y = binaryRaw(op, ta, tb);
  return recordOp(op, y, [ta, tb], (gy) => {
    const needA = ta.requiresGrad;
    const needB = tb.requiresGrad;
    switch (op) {
      case 'add': {
        const ga = needA ? reduceGrad(gy, ta.shape) : undefined;
        const gb = needB ? reduceGrad(gy, tb.shape) : undefined;
        // Never hand one buffer to two inputs: backward releases a consumed gradient buffer, which
        // would free the other input's gradient with it.
        return [ga, gb && gb === ga ? new Tensor(gb.backend.clone(gb.storage), gb.shape, gb.backend) : gb];
      }
      case 'sub':
        return [needA ? reduceGrad(gy, ta.shape) : undefined, needB ? reduceGrad(gy, tb.shape, { negate: true }) : undefined];
      case 'mul':
        return [
          needA ? reduceGrad(binaryRaw('mul', gy, tb), ta.shape, { owned: true }) : undefined,
          needB ? reduceGrad(binaryRaw('mul', gy, ta), tb.shape, { owned: true }) : undefined,
        ];
      case 'div': {
        let gb: Tensor | undefined;
        if (needB) {
          // d(a/b)/db = −a/b² = −y/b.
          const gyY = binaryRaw('mul', gy, y);
          gb = reduceGrad(binaryRaw('div', gyY, tb), tb.shape, { negate: true, owned: true });
          gyY.dispose();
        }
        return [needA ? reduceGrad(binaryRaw('div', gy, tb), ta.shape, { owned: true }) : undefined, gb];
      }
    }
  });
}

/**
 * `g` summed down to an operand's `shape` (and negated): the gradient of a broadcast operand. When
 * `owned`, g is a temporary of the rule: it is freed once summed, or negated in place.
 */
function reduceGrad(g: Tensor, shape: readonly number[], { negate = false, owned = false } = {}): Tensor {
  const r = sumToShape(g, shape);
  if (r !== g && owned) g.dispose();
  if (!negate) return r;
  if (r === g && !owned) return applyUnaryRaw('neg', r); // g is the incoming gradient: not ours to change
  r.backend.unary('neg', r.storage, r.storage, r.size);
  return r;
}

/** a ∘ b with broadcasting, recording nothing (also used inside gradient rules). */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) throw new SimdnnError(`${op}: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
  const backend = a.backend;
  const out = backend.empty(shapeSize(shape)); // the kernel writes every element of the broadcast shape
  if (out.length > 0) backend.binary(op, out, a.storage, b.storage, broadcastLayout(a.shape, b.shape, shape));
  return new Tensor(out, shape, backend);
}

function asTensor(x: Operand, backend: Backend): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new SimdnnError(`arithmetic: operands must be tensors or numbers, got ${typeof x}`);
  return new Tensor(backend.fromValues([x]), [], backend);
}

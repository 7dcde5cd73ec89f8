import type { Storage } from './backend.js';

/** Binary arithmetic ops. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * Unary ops. `param` is leakyRelu's negative slope or pow's exponent. The backward reads a saved
 * tensor: the op's output y for relu, sigmoid, tanh, exp and sqrt; its input x for leakyRelu, log,
 * pow and the activations after it; nothing for neg. `gelu` is the exact (erf) form, `geluTanh` the
 * tanh approximation.
 */
export type UnaryOp = 'neg' | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'exp' | 'log' | 'sqrt' | 'pow'
  | 'relu6' | 'silu' | 'gelu' | 'geluTanh' | 'hardswish' | 'hardsigmoid';

/**
 * How a broadcast binary op walks memory (see `broadcastLayout`): the output is dense row-major over
 * `dims`; element (i₀, i₁, …) of a is at Σ iₖ·aStrides[k] (stride 0 on a broadcast dimension), the same
 * for b. Adjacent dimensions that walk alike are merged, so most layouts have rank 1 or 2.
 */
export interface BroadcastLayout {
  readonly dims: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

/** Elementwise primitives. Outputs are overwritten. */
export interface ElementwiseOps {
  /** out = a ∘ b over a broadcast layout. */
  binary(op: BinaryOp, out: Storage, a: Storage, b: Storage, layout: BroadcastLayout): void;
  /** out[i] = f(x[i]) for i < n (out may be x). */
  unary(op: UnaryOp, out: Storage, x: Storage, n: number, param?: number): void;
  /** gx[i] = gy[i]·f'(…) for i < n, from the saved tensor the op names (see `UnaryOp`). */
  unaryBackward(op: UnaryOp, gx: Storage, gy: Storage, saved: Storage, n: number, param?: number): void;
}

// The layers' default initialisation (PyTorch's for Linear and Conv2d), from the library's seeded
// generator; sn.nn.init (init.ts) builds its uniform initialisers on `symmetricUniformValues`.
import { currentBackend } from '../backend/index.js';
import { randomBits } from '../random.js';
import { Tensor } from '../tensor.js';
import { shapeSize } from '../shape.js';

/**
 * `size` values uniform in [-bound, bound) from the seeded generator, computed from integer bits
 * with exact arithmetic, so every engine produces the same bits.
 */
export function symmetricUniformValues(size: number, bound: number): Float32Array {
  const bits = randomBits(size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (bits[i] / 4294967296 * 2 - 1) * bound;
  return values;
}

/** A tensor of values uniform in [-bound, bound) on the current backend. */
export function uniform(shape: readonly number[], bound: number): Tensor {
  const backend = currentBackend();
  return new Tensor(backend.fromValues(symmetricUniformValues(shapeSize(shape), bound)), shape, backend);
}

/**
 * PyTorch's default for Linear and Conv2d weights and biases: kaiming_uniform_(a = √5) gives
 * U(−1/√fanIn, 1/√fanIn), and the bias uses the same bound.
 */
export function defaultInitBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

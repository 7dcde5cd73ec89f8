// Parameter initialisation as PyTorch does it, from the library's seeded generator.
import { currentBackend } from '../backend/index.js';
import { randomBits } from '../random.js';
import { Tensor } from '../tensor.js';
import { shapeSize } from '../shape.js';

/**
 * Values uniform in [-bound, bound). Computed from integer bits with exact arithmetic, so every
 * engine produces the same bits.
 */
export function uniform(shape: readonly number[], bound: number): Tensor {
  const size = shapeSize(shape);
  const bits = randomBits(size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (bits[i] / 4294967296 * 2 - 1) * bound;
  const backend = currentBackend();
  return new Tensor(backend.fromValues(values), shape, backend);
}

/**
 * PyTorch's default for Linear and Conv2d weights and biases: kaiming_uniform_(a = √5) gives
 * U(−1/√fanIn, 1/√fanIn), and the bias uses the same bound.
 */
export function defaultInitBound(fanIn: number): number {
  return fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
}

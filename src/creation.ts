import { currentBackend } from './backend/index.js';
import { SimdnnError, formatShape } from './errors.js';
import { randomBits } from './random.js';
import { checkShape } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

/**
 * A tensor from values: a flat array-like with an optional `shape` (default: 1-D), or nested arrays
 * whose shape is inferred. `sn.tensor([[1, 2], [3, 4]])`, `sn.tensor(float32Array, [2, 2])`.
 */
export function tensor(values: ArrayLike<number> | NestedArray, shape?: readonly number[]): Tensor {
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') {
    flat = [values];
    inferred = [];
  } else if (Array.isArray(values) && values.some(Array.isArray)) {
    ({ flat, shape: inferred } = flattenNested(values));
  } else {
    flat = values as ArrayLike<number>;
    inferred = [flat.length];
  }
  const target = shape ?? inferred;
  const size = checkShape(target, 'tensor');
  if (size !== flat.length) {
    throw new SimdnnError(`tensor: ${flat.length} values given for shape ${formatShape(target)}, which holds ${size}`);
  }
  const backend = currentBackend();
  return new Tensor(backend.fromValues(flat), target, backend);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return filled(shape, 0, 'zeros');
}

/** A tensor of ones. */
export function ones(shape: readonly number[]): Tensor {
  return filled(shape, 1, 'ones');
}

/** A tensor filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  return filled(shape, value, 'full');
}

function filled(shape: readonly number[], value: number, op: string): Tensor {
  const size = checkShape(shape, op);
  const backend = currentBackend();
  const storage = value === 0 ? backend.alloc(size) : backend.fromValues(new Float32Array(size).fill(value));
  return new Tensor(storage, shape, backend);
}

/** `[0, 1, …, n − 1]` as a 1-D tensor. */
export function arange(n: number): Tensor {
  checkShape([n], 'arange');
  return tensor(Float32Array.from({ length: n }, (_, i) => i));
}

/** Uniform values in [0, 1) from the seeded generator (see `manualSeed`). */
export function rand(shape: readonly number[]): Tensor {
  const size = checkShape(shape, 'rand');
  const bits = randomBits(size);
  const values = new Float32Array(size);
  // 24 high bits: every value is exactly representable in f32 and below 1.
  for (let i = 0; i < size; i++) values[i] = (bits[i] >>> 8) / 16777216;
  return tensor(values, shape);
}

/** Standard normal values from the seeded generator (see `manualSeed`). */
export function randn(shape: readonly number[]): Tensor {
  const size = checkShape(shape, 'randn');
  const backend = currentBackend();
  const storage = backend.alloc(size);
  backend.fillNormal(storage, randomBits(size));
  return new Tensor(storage, shape, backend);
}

function flattenNested(values: NestedArray[]): { flat: number[]; shape: number[] } {
  const shape: number[] = [];
  for (let level: NestedArray = values; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: number[] = [];
  const walk = (node: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof node !== 'number') throw new SimdnnError(`tensor: ragged nested array at ${path}: expected a number`);
      flat.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim]) {
      throw new SimdnnError(`tensor: ragged nested array at ${path}: expected ${shape[dim]} entries as the inferred shape ${formatShape(shape)} says`);
    }
    node.forEach((child, i) => walk(child, dim + 1, `${path}[${i}]`));
  };
  walk(values, 0, 'values');
  return { flat, shape };
}

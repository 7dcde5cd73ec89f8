// Small checks and shape arithmetic shared by the tensor ops.
import type { Backend } from '../backend/index.js';
import { SimdnnError, formatShape } from '../errors.js';
import { shapeSize } from '../shape.js';
import type { Tensor } from '../tensor.js';

/** The backend all `tensors` live on; a SimdnnError naming `op` and the backends when they differ. */
export function commonBackend(op: string, ...tensors: readonly Tensor[]): Backend {
  const backend = tensors[0].backend;
  for (const t of tensors) {
    if (t.backend !== backend) {
      throw new SimdnnError(`${op}: operands live on different backends ('${backend.name}' and '${t.backend.name}')`);
    }
  }
  return backend;
}

/** `dim` in [−ndim, ndim) as an index in [0, ndim); a SimdnnError naming `op` and the shape otherwise. */
export function normalizeDim(op: string, dim: number, shape: readonly number[]): number {
  const ndim = shape.length;
  if (!Number.isInteger(dim) || dim < -ndim || dim >= ndim) {
    const range = ndim === 0 ? 'it has no dimensions' : `expected ${-ndim} to ${ndim - 1}`;
    throw new SimdnnError(`${op}: dim ${dim} is out of range for a tensor of shape ${formatShape(shape)} (${range})`);
  }
  return dim < 0 ? dim + ndim : dim;
}

/** The [outer, n, inner] view of `shape` around dimension `dim` (already normalised). */
export function splitAtDim(shape: readonly number[], dim: number): { outer: number; n: number; inner: number } {
  return { outer: shapeSize(shape.slice(0, dim)), n: shape[dim], inner: shapeSize(shape.slice(dim + 1)) };
}

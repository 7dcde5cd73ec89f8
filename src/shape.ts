import { SimdnnError, formatShape } from './errors.js';

/** Checks that every dimension is a non-negative integer; returns the element count. */
export function checkShape(shape: readonly number[], op: string): number {
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new SimdnnError(`${op}: invalid shape ${formatShape(shape)}: dimensions must be non-negative integers`);
    }
    size *= d;
  }
  return size;
}

/** Product of the dimensions. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Whether two shapes have the same dimensions. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  // A plain loop: Array.prototype.every over the frozen shape arrays was the slow part of small ops.
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

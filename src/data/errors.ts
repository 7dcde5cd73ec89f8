import { SimdnnError } from '../errors.js';

/**
 * A data file or data set that cannot be used as it is: a malformed IDX file (the message names the
 * byte offset, or the expected and the actual length), a missing MNIST file or package, images and
 * labels of different counts. A `SimdnnError`, so `catch` on either works.
 */
export class DataError extends SimdnnError {
  override name = 'DataError';
}

/** Checks that option `name` of `op` is an integer ≥ `min`; the message names the option and the value. */
export function checkInteger(op: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    const wanted = min === 1 ? 'a positive integer' : min === 0 ? 'a non-negative integer' : `an integer ≥ ${min}`;
    throw new DataError(`${op}: ${name} must be ${wanted}, got ${String(value)}`);
  }
}

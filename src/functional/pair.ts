/** A spatial option of sn.F ops: one number for both axes, or `[h, w]`. */
export type Pair = number | readonly [number, number];

/** A number-or-[h, w] option as [h, w], each an integer ≥ `min`; otherwise `fail` with a message naming it. */
export function pairOption(value: Pair, name: string, min: number, fail: (message: string) => never): [number, number] {
  // No callbacks: convolutions and poolings read three of these per call.
  const [h, w] = typeof value === 'number' ? [value, value] : Array.isArray(value) && value.length === 2 ? value : [NaN, NaN];
  if (!(Number.isInteger(h) && h >= min && Number.isInteger(w) && w >= min)) {
    fail(`${name}=${JSON.stringify(value)} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair [h, w] of them`);
  }
  return [h, w];
}

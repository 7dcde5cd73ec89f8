/** A spatial option of sn.F ops: one number for both axes, or `[h, w]`. */
export type Pair = number | readonly [number, number];

/** A number-or-[h, w] option as [h, w], each an integer ≥ `min`; otherwise `fail` with a message naming it. */
export function pairOption(value: Pair, name: string, min: number, fail: (message: string) => never): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    fail(`${name}=${JSON.stringify(value)} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer or a pair [h, w] of them`);
  }
  return [pair[0], pair[1]];
}

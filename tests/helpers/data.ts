import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Deterministic test data: `n` values uniform in [-1, 1) from `seed`. */
export function randomValues(n: number, seed: number): Float32Array {
  const rng = xoroshiro128plus(seed);
  return Float32Array.from({ length: n }, () => rng.next() / 2 ** 31);
}

/** Asserts |actual − expected| ≤ tolerance[i] everywhere; the message names the first bad index. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: (i: number) => number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= tolerance(i)) && !(Number.isNaN(actual[i]) && Number.isNaN(expected[i]))) {
      throw new Error(`${what}: index ${i} is ${actual[i]}, expected ${expected[i]} (diff ${diff} > ${tolerance(i)})`);
    }
  }
}

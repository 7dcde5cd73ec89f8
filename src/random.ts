// The one seeded source of randomness for initialisation, shuffling and dropout. Bits come from
// xoroshiro128+ (pure-rand) using integer arithmetic only, so they are identical in every engine;
// turning them into floats that need transcendental maths is left to the backend.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

let generator = xoroshiro128plus(0);

/** Seeds every random choice simdnn makes (initialisation, shuffling, dropout); the low 32 bits of `seed` are used. */
export function manualSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new RangeError(`manualSeed: seed must be an integer, got ${seed}`);
  generator = xoroshiro128plus(seed | 0);
}

/** `n` uniformly random u32 words. */
export function randomBits(n: number): Uint32Array {
  return bitsFrom(generator, n);
}

/** `n` random u32 words from a generator of their own seeded with `seed`, leaving simdnn's generator as it is. */
export function randomBitsFromSeed(seed: number, n: number): Uint32Array {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return bitsFrom(xoroshiro128plus(seed | 0), n);
}

function bitsFrom(source: { next(): number }, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = source.next() >>> 0;
  return out;
}

/**
 * Puts `order` in a random order: Fisher–Yates, each swap scaling one u32 (`bits[i − 1]` for
 * position i; default: fresh words of simdnn's generator) to [0, i] by multiply-shift, so no order's
 * probability is off by more than n / 2³² (relative).
 */
export function shuffleInPlace(order: Int32Array, bits = randomBits(Math.max(order.length - 1, 0))): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = integerBelow(bits[i - 1], i + 1);
    const kept = order[i];
    order[i] = order[j];
    order[j] = kept;
  }
}


/**
 * An integer in [0, n) from one random u32 word, by multiply-shift: each value's probability is off
 * from 1/n by at most n / 2³² (relative). Exact in every engine for n ≤ 2²¹; above, `min` keeps a
 * rounded-up product in range.
 */
export function integerBelow(bits: number, n: number): number {
  return Math.min(n - 1, Math.floor((bits * n) / 4294967296));
}

/** A number in [low, high] from one random u32 word: low + (high − low) · bits / 2³², with IEEE +, −, ×, / only (the same bits in every engine). */
export function uniformFromBits(bits: number, low: number, high: number): number {
  return low + (high - low) * (bits / 4294967296);
}

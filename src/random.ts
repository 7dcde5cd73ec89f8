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
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.next() >>> 0;
  return out;
}


// Typed wrapper for the random-number transforms (assembly/random.ts).
import { wasm } from './instance.js';

interface RandomExports {
  fillNormalFromBits(ptr: number, n: number): void;
}

/** Overwrites `n` u32 random words at byte address `ptr` with standard normal f32 values. */
export function fillNormalFromBits(ptr: number, n: number): void {
  wasm<RandomExports>().fillNormalFromBits(ptr, n);
}

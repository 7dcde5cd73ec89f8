// Typed wrappers for the dropout kernels (assembly/dropout.ts).
import { wasm } from './instance.js';
import { u32View } from './memory.js';

interface DropoutExports {
  u32F32DropoutMask(mask: number, threshold: number, scale: number, start: number, end: number): void;
  f32DropoutApply(out: number, x: number, mask: number, start: number, end: number): void;
}

/** Writes `bits` into the mask buffer of `size` floats, then turns them into bits ≥ threshold ? scale : 0 in place. */
export function dropoutMask(mask: number, size: number, bits: Uint32Array, threshold: number, scale: number): void {
  u32View(mask, size).set(bits.subarray(0, size));
  wasm<DropoutExports>().u32F32DropoutMask(mask, threshold, scale, 0, size);
}

/** out = x · mask over `size` floats. */
export function dropoutApply(out: number, x: number, mask: number, size: number): void {
  wasm<DropoutExports>().f32DropoutApply(out, x, mask, 0, size);
}

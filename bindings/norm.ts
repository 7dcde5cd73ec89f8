// Typed wrappers for the norm and in-place scaling kernels (assembly/norm.ts).
import { wasm } from './instance.js';

interface NormExports {
  f32PowerSum(x: number, n: number, p: number): number;
  f32Pow(x: number, y: number): number;
  f32Scale(x: number, alpha: number, n: number): void;
  f32Clamp(x: number, lo: number, hi: number, n: number): void;
}

function exports(): NormExports {
  return wasm<NormExports>();
}

/** Σ|x|^p over `n` floats (p = Infinity: max |x|), accumulated in f64. */
export function powerSum(x: number, n: number, p: number): number {
  return exports().f32PowerSum(x, n, p);
}

/** x^y in f32 precision, computed in wasm. */
export function pow(x: number, y: number): number {
  return exports().f32Pow(x, y);
}

/** x ← alpha · x over `n` floats. */
export function scale(x: number, alpha: number, n: number): void {
  exports().f32Scale(x, alpha, n);
}

/** x ← clamp(x, lo, hi) over `n` floats (NaN stays NaN). */
export function clamp(x: number, lo: number, hi: number, n: number): void {
  exports().f32Clamp(x, lo, hi, n);
}

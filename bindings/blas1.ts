// Typed wrappers for vector kernels (assembly/axpy.ts).
import { wasm } from './instance.js';

interface Blas1Exports {
  axpy(y: number, x: number, alpha: number, n: number): void;
}

/** y += alpha · x over `n` floats at byte addresses y and x. */
export function axpy(y: number, x: number, alpha: number, n: number): void {
  wasm<Blas1Exports>().axpy(y, x, alpha, n);
}

// Typed wrapper for the SIMD peak probe (assembly/peak.ts).
import { wasm } from './instance.js';

interface PeakExports {
  simdPeak(iterations: number, m: number): number;
  readonly SIMD_PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
}

/** Runs `iterations` of the peak loop; returns the flops done and a checksum that keeps it honest. */
export function simdPeak(iterations: number): { flops: number; checksum: number } {
  const w = wasm<PeakExports>();
  const checksum = w.simdPeak(iterations, 1e-7);
  return { flops: iterations * w.SIMD_PEAK_FLOPS_PER_ITERATION.value, checksum };
}

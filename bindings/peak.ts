// Typed wrapper for the SIMD peak probe (assembly/peak.ts).
import { wasm } from './instance.js';
import { Scratch } from './pool/workspaces.js';

interface PeakExports {
  simdPeak(iterations: number, m: number, scratch: number): number;
  readonly SIMD_PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
}

const scratch = new Scratch();

/** Runs `iterations` of the peak loop; returns the flops done and a checksum that keeps it honest. */
export function simdPeak(iterations: number): { flops: number; checksum: number } {
  const w = wasm<PeakExports>();
  const [splat] = scratch.buffers(16, 1);
  const checksum = w.simdPeak(iterations, 1e-7, splat);
  return { flops: iterations * w.SIMD_PEAK_FLOPS_PER_ITERATION.value, checksum };
}

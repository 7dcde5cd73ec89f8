// Typed wrapper for the SIMD peak probe (assembly/peak.ts), in either module: the portable one
// (f32x4 mul then add) or the relaxed-SIMD one (fused multiply-add, the yardstick of its kernels).
import { loadedModule, wasm } from './instance.js';
import { Scratch } from './pool/workspaces.js';

type PeakProbe = (iterations: number, m: number, scratch: number) => number;

interface PeakExports {
  simdPeak: PeakProbe;
  readonly SIMD_PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
}

const scratch = new Scratch();

/**
 * Runs `iterations` of the peak loop of the `simd128` or `relaxed-simd` module; returns the flops
 * done and a checksum that keeps it honest.
 */
export function simdPeak(iterations: number, variant: 'simd128' | 'relaxed-simd' = 'simd128'): { flops: number; checksum: number } {
  const w = wasm<PeakExports>();
  const { relaxed, relaxedUnavailable } = loadedModule();
  if (variant === 'relaxed-simd' && !relaxed) throw new Error(`simdnn: no relaxed-SIMD peak probe: ${relaxedUnavailable}`);
  const probe = variant === 'relaxed-simd' ? relaxed!.exports.simdPeak as PeakProbe : w.simdPeak;
  const [splat] = scratch.buffers(16, 1);
  const checksum = probe(iterations, 1e-7, splat);
  return { flops: iterations * w.SIMD_PEAK_FLOPS_PER_ITERATION.value, checksum };
}

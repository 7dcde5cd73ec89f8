// The machine's measured wasm SIMD f32 peaks (GFLOP/s), the yardsticks for every kernel figure: the
// portable module's (f32x4 mul then add, SIMD128) and the relaxed-SIMD module's (fused multiply-add).
import { simdPeak } from '../bindings/peak.js';
import { measure } from './measure.js';

/**
 * GFLOP/s of the independent multiply-add chains in assembly/peak.ts, in their fastest call, with
 * the `simd128` or `relaxed-simd` module: a throughput bound is what the machine reaches when nothing
 * else runs (the bench machine is shared, and a call that loses the core to another process only
 * shows that process).
 */
export async function measureSimdPeak(variant: 'simd128' | 'relaxed-simd' = 'simd128'): Promise<number> {
  const iterations = 2_000_000;
  let flops = 0;
  const timing = await measure(() => {
    flops = simdPeak(iterations, variant).flops;
  }, 1000);
  return flops / (timing.minMs * 1e6);
}

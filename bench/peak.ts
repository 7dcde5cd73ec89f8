// The machine's measured wasm SIMD f32 peak (GFLOP/s), the yardstick for every kernel figure.
import { simdPeak } from '../bindings/peak.js';
import { measure } from './measure.js';

/**
 * GFLOP/s of the independent mul+add chains in assembly/peak.ts in their fastest call: a throughput
 * bound is what the machine reaches when nothing else runs (the bench machine is shared, and a call
 * that loses the core to another process only shows that process).
 */
export async function measureSimdPeak(): Promise<number> {
  const iterations = 2_000_000;
  let flops = 0;
  const timing = await measure(() => {
    flops = simdPeak(iterations).flops;
  }, 1000);
  return flops / (timing.minMs * 1e6);
}

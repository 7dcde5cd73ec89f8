// The machine's measured wasm SIMD f32 peak (GFLOP/s), the yardstick for every kernel figure.
import { simdPeak } from '../bindings/peak.js';
import { measure } from './measure.js';

/** Best GFLOP/s of the independent mul+add chains in assembly/peak.ts. */
export async function measureSimdPeak(): Promise<number> {
  const iterations = 2_000_000;
  let flops = 0;
  const timing = await measure(() => {
    flops = simdPeak(iterations).flops;
  }, 600);
  return flops / (timing.ms * 1e6);
}

// The machine's measured wasm SIMD f32 peak (GFLOP/s), the yardstick for every kernel figure.
import { simdPeak } from '../bindings/peak.js';
import { measure } from './measure.js';

/**
 * GFLOP/s of the independent mul+add chains in assembly/peak.ts: the best of several short rounds,
 * since a throughput bound is what the machine reaches when nothing else runs (the bench machine is
 * shared, and a round that loses the core to another process only shows that process).
 */
export async function measureSimdPeak(rounds = 8): Promise<number> {
  const iterations = 2_000_000;
  let flops = 0;
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const timing = await measure(() => {
      flops = simdPeak(iterations).flops;
    }, 150);
    best = Math.max(best, flops / (timing.ms * 1e6));
  }
  return best;
}

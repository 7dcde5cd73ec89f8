// A thin layer over tinybench: time one function, report its mean latency in ms.
import { Bench } from 'tinybench';

export interface Timing {
  /** Mean time per call, ms. */
  ms: number;
  /** Fastest single call, ms: what the code does when no other process takes the core. */
  minMs: number;
  /** Relative margin of error of the mean, %. */
  rme: number;
  samples: number;
}

/** Times `fn` for about `timeMs` after a warm-up; calls of any length are fine (at least 5 samples). */
export async function measure(fn: () => void, timeMs = 400): Promise<Timing> {
  const bench = new Bench({ time: timeMs, iterations: 5, warmupTime: 100, warmupIterations: 2 });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark task ended as ${result.state}${'error' in result ? `: ${result.error}` : ''}`);
  return { ms: result.latency.mean, minMs: result.latency.min, rme: result.latency.rme, samples: result.latency.samplesCount };
}

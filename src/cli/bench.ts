// `simdnn bench`: training-step throughput of a preset on the wasm backend at 1 thread and at N
// threads, and on the ts backend, all measured in the same run. The helpers are shared with the
// repository's benchmark suites (bench/training.ts, bench/threads.ts).
import { getNumThreads, setBackend, setNumThreads, type BackendName } from '../backend/index.js';
import { randn, tensor } from '../creation.js';
import { DataLoader, type Batch } from '../data/dataloader.js';
import type { Dataset } from '../data/dataset.js';
import { crossEntropy } from '../functional/losses.js';
import { createModel, type PresetName } from '../models/presets.js';
import { Adam } from '../optim/adam.js';
import { manualSeed } from '../random.js';
import { describeKernels } from './options.js';

/** Options of the quick benchmark. */
export interface QuickBenchOptions {
  model: PresetName;
  batchSize: number;
  steps: number;
  /**
   * Images to train on, taken batch after batch in order (starting over at the end), each batch
   * entering the backend as in `fit`. Without it one random MNIST-shaped batch is reused every step.
   */
  data?: Dataset;
}

/**
 * Untimed steps before timing, for at least WARM_UP_STEPS steps and WARM_UP_MS: JIT compilation,
 * memory growth, and a fresh pool worker (setNumThreads starts new ones), whose first ~40 LeNet steps
 * ran 10–45 % slower here (batch 64: 3.3 → 2.3 ms per step on 2 threads).
 */
const WARM_UP_STEPS = 3;
const WARM_UP_MS = 250;

/** Samples per second of `step` (which processes `samplesPerStep` samples) over `steps` timed calls after a warm-up. */
export function throughput(step: () => void, samplesPerStep: number, steps: number): number {
  const warmUntil = performance.now() + WARM_UP_MS;
  for (let i = 0; i < WARM_UP_STEPS || performance.now() < warmUntil; i++) step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  return (steps * samplesPerStep) / ((performance.now() - start) / 1000);
}

/** Inputs and class indices of one training step. */
type Step = Pick<Batch, 'x' | 'targets'>;

/**
 * An endless supply of batches of `batchSize`: from `data` in order (starting over at the end), or one
 * random MNIST-shaped batch over and over. `release` frees a batch's tensors once the step is done.
 */
export function batches(batchSize: number, data: Dataset | undefined): { next(): Step; release(batch: Step): void } {
  if (!data) {
    const labels = Int32Array.from({ length: batchSize }, (_, i) => i % 10);
    const batch: Step = { x: randn([batchSize, 1, 28, 28]), targets: tensor(labels, [batchSize]) };
    return { next: () => batch, release() {} };
  }
  const loader = new DataLoader(data, { batchSize, dropLast: true });
  if (loader.length === 0) throw new Error(`batches: ${data.length} samples do not fill one batch of ${batchSize}`);
  let batches = loader[Symbol.iterator]();
  return {
    next() {
      let next = batches.next();
      if (next.done) next = (batches = loader[Symbol.iterator]()).next();
      return next.value as Batch;
    },
    release(batch) {
      batch.x.dispose();
      batch.targets.dispose();
    },
  };
}

/** Samples per second of forward + backward + Adam on the current thread count. */
export function trainingThroughput(backend: BackendName, { model: name, batchSize, steps, data }: QuickBenchOptions): number {
  setBackend(backend);
  manualSeed(0);
  const model = createModel(name);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const source = batches(batchSize, data);
  return throughput(() => {
    const batch = source.next();
    optimizer.zeroGrad();
    crossEntropy(model.forward(batch.x), batch.targets).backward();
    optimizer.step();
    source.release(batch);
  }, batchSize, steps);
}

/**
 * Runs every contender once per round, in order, for `rounds` rounds, and returns each one's figures
 * (one per round). Interleaving makes a change in a shared machine's load hit every contender alike.
 */
export async function interleavedRounds(
  contenders: Readonly<Record<string, () => number | Promise<number>>>, rounds: number,
): Promise<Record<string, number[]>> {
  const figures: Record<string, number[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(contenders)) figures[name].push(await run());
  }
  return figures;
}

/** The median of a non-empty list (the mean of the middle two for an even length). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A function that sets the wasm backend's thread count, then runs `fn`. */
export function onThreads(threads: number, fn: () => number | Promise<number>): () => Promise<number> {
  return async () => {
    await setNumThreads(threads);
    return fn();
  };
}

const ROUNDS = 3;

/**
 * Prints the training throughput of wasm on 1 thread and on `threads` threads (rounds interleaved,
 * best of each), and of the ts backend, then leaves the wasm backend on `threads` threads.
 */
export async function runQuickBench(options: QuickBenchOptions, threads = getNumThreads()): Promise<void> {
  const counts = [...new Set([1, threads])];
  const contenders = Object.fromEntries(counts.map((n) => [n, onThreads(n, () => trainingThroughput('wasm', options))]));
  const figures = await interleavedRounds(contenders, ROUNDS);
  const ts = trainingThroughput('ts', { ...options, steps: Math.max(2, Math.ceil(options.steps / 10)) });
  setBackend('wasm');
  const best = (n: number) => Math.max(...figures[n]);
  const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')} samples/s`;
  const label = (n: number) => `wasm, ${n} thread${n === 1 ? ' ' : 's'}`;
  console.log(`training step of '${options.model}', batch ${options.batchSize}, Adam, ${describeKernels()} (best of ${ROUNDS} interleaved rounds):`);
  for (const n of counts) console.log(`  ${label(n).padEnd(17)} ${rate(best(n))}${n === 1 ? '' : `  (${(best(n) / best(1)).toFixed(2)}× 1 thread)`}`);
  if (counts.length === 1) console.log('  (the default here is 1 thread; compare with --threads N)');
  console.log(`  ${'ts'.padEnd(17)} ${rate(ts)}`);
  console.log(`  wasm ${threads} thread${threads === 1 ? '' : 's'} / ts = ${(best(threads) / ts).toFixed(1)}×`);
}

// `simdnn bench`: training-step throughput of a preset on both backends, measured in the same run.
import { setBackend, type BackendName } from '../backend/index.js';
import { randn } from '../creation.js';
import { crossEntropy } from '../functional/losses.js';
import { createModel, type PresetName } from '../models/presets.js';
import { Adam } from '../optim/adam.js';
import { manualSeed } from '../random.js';

/** Options of the quick benchmark. */
export interface QuickBenchOptions {
  model: PresetName;
  batchSize: number;
  steps: number;
}

/** Samples per second of forward + backward + Adam on random MNIST-shaped data. */
export function trainingThroughput(backend: BackendName, { model: name, batchSize, steps }: QuickBenchOptions): number {
  setBackend(backend);
  manualSeed(0);
  const model = createModel(name);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = randn([batchSize, 1, 28, 28]);
  const targets = Array.from({ length: batchSize }, (_, i) => i % 10);
  const step = () => {
    optimizer.zeroGrad();
    crossEntropy(model.forward(x), targets).backward();
    optimizer.step();
  };
  for (let i = 0; i < 3; i++) step(); // warm-up: JIT, memory growth
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  return (steps * batchSize) / ((performance.now() - start) / 1000);
}

export function runQuickBench(options: QuickBenchOptions): void {
  const wasm = trainingThroughput('wasm', options);
  const ts = trainingThroughput('ts', { ...options, steps: Math.max(2, Math.ceil(options.steps / 10)) });
  setBackend('wasm');
  console.log(`training step of '${options.model}', batch ${options.batchSize}, Adam:`);
  console.log(`  wasm ${Math.round(wasm).toLocaleString('en-US')} samples/s`);
  console.log(`  ts   ${Math.round(ts).toLocaleString('en-US')} samples/s`);
  console.log(`  wasm / ts = ${(wasm / ts).toFixed(1)}×`);
}

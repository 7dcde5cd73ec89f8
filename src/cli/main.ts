// The `simdnn` command: train (MNIST by default), summary, bench. A user mistake prints a message
// and exits with status 2, never a stack trace.
import { parseArgs } from 'node:util';
import { getNumThreads, setBackend, setNumThreads, type BackendName } from '../backend/index.js';
import { loadMnist } from '../data/mnist.js';
import { channelStats, standardize } from '../data/normalize.js';
import type { Dataset } from '../data/dataset.js';
import { SimdnnError } from '../errors.js';
import { load, save } from '../io/save-load.js';
import { createModel, describeModel, presetNames, type PresetName } from '../models/presets.js';
import { Adam, AdamW } from '../optim/adam.js';
import { SGD } from '../optim/sgd.js';
import type { Module } from '../nn/module.js';
import { manualSeed } from '../random.js';
import { summary } from '../summary.js';
import { evaluate } from '../train/evaluate.js';
import { fit, type TrainableOptimizer } from '../train/fit.js';
import { progressReporter } from './progress.js';
import { runQuickBench } from './bench.js';

/** A mistake in the command line: printed without a stack trace. */
class UsageError extends Error {}

const DEFAULT_THREADS = 'the machine\'s cores, at most 8, or SIMDNN_NUM_THREADS';

const HELP = {
  main: `Usage: simdnn <command> [options]

Commands:
  train     train a model on MNIST (default: a small CNN to ≥ 99% test accuracy)
  summary   print a model's layers, output shapes, parameters and receptive fields
  bench     measure training throughput: wasm on 1 thread and on N threads, and ts

Run 'simdnn <command> --help' for a command's options.`,
  train: `Usage: simdnn train [options]

Options:
  --model NAME        ${presetNames.join(' | ')} (default: default)
  --epochs N          passes over the training set (default: 5)
  --batch-size N      samples per step (default: 64)
  --lr X              learning rate (default: 0.002 for adam/adamw, 0.05 for sgd), decayed each epoch
  --optimizer NAME    adam | adamw | sgd (default: adam; sgd uses momentum 0.9)
  --backend NAME      wasm | ts (default: wasm)
  --threads N         threads of the wasm backend (default: ${DEFAULT_THREADS})
  --seed N            seed for initialisation and shuffling (default: 0)
  --limit N           use only the first N training samples (quick runs)
  --save PATH         write the trained weights (safetensors)
  --load PATH         start from saved weights
  -h, --help          this help`,
  summary: `Usage: simdnn summary [--model NAME]

Prints the layers of a preset model for a 1×1×28×28 input. Models: ${presetNames.join(', ')}.`,
  bench: `Usage: simdnn bench [--model NAME] [--batch-size N] [--steps N] [--threads N]

Times training steps (forward, backward, Adam) and prints samples/s: the wasm backend at 1 thread
and at N threads (default: ${DEFAULT_THREADS}) in interleaved
rounds, then the ts backend.
For the full kernel benchmarks (GEMM, convolution, peers) run 'npm run bench' in the repository.`,
};

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

/**
 * Runs the wasm backend on `--threads` threads (default: the library's default) once its workers
 * are ready; returns the thread count in use, which is 1 where memory cannot be shared with workers.
 */
async function useThreads(value: string | undefined): Promise<number> {
  try {
    await setNumThreads(value === undefined ? getNumThreads() : positiveInteger('threads', value, 1));
    return getNumThreads();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const reason = error.message.replace(/^simdnn: (setNumThreads\(.*?\): )?/, '');
    throw new UsageError(value === undefined ? reason : `--threads ${value}: ${reason}`);
  }
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function makeOptimizer(name: 'adam' | 'adamw' | 'sgd', model: Module, lr: number): TrainableOptimizer {
  if (name === 'sgd') return new SGD(model.parameters(), { lr, momentum: 0.9 });
  return name === 'adamw' ? new AdamW(model.parameters(), { lr }) : new Adam(model.parameters(), { lr });
}

function standardized(train: Dataset, test: Dataset): { train: Dataset; test: Dataset } {
  // Statistics from the training set only, reused for the test set.
  const stats = channelStats(train.images);
  return {
    train: { ...train, images: standardize(train.images, stats) },
    test: { ...test, images: standardize(test.images, stats) },
  };
}

async function train(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      model: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
      optimizer: { type: 'string' }, backend: { type: 'string' }, seed: { type: 'string' }, limit: { type: 'string' },
      threads: { type: 'string' }, save: { type: 'string' }, load: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(HELP.train);
  const modelName = oneOf('model', values.model, presetNames, 'default');
  const epochs = positiveInteger('epochs', values.epochs, 5);
  const batchSize = positiveInteger('batch-size', values['batch-size'], 64);
  const optimizerName = oneOf('optimizer', values.optimizer, ['adam', 'adamw', 'sgd'] as const, 'adam');
  const backend = oneOf<BackendName>('backend', values.backend, ['wasm', 'ts'], 'wasm');
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  const lr = values.lr === undefined ? (optimizerName === 'sgd' ? 0.05 : 0.002) : Number(values.lr);
  if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
  const limit = values.limit === undefined ? undefined : positiveInteger('limit', values.limit, 0);
  if (backend === 'ts' && values.threads !== undefined) throw new UsageError('--threads applies to the wasm backend only (the ts backend runs on one thread)');
  const threads = backend === 'wasm' ? await useThreads(values.threads) : 1; // workers ready before the first batch

  const started = performance.now();
  setBackend(backend);
  manualSeed(seed);
  const mnist = await loadMnist({ trainLimit: limit });
  const data = standardized(mnist.train, mnist.test);
  const model = createModel(modelName);
  if (values.load) await load(model, values.load);
  console.log(`simdnn: training '${modelName}' (${describeModel(modelName)}) on MNIST: ${data.train.length.toLocaleString('en-US')} samples, ${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, ${optimizerName} lr ${lr}, ${backend} backend on ${threads} thread${threads === 1 ? '' : 's'}`);

  const optimizer = makeOptimizer(optimizerName, model, lr);
  const history = fit(model, {
    train: data.train, epochs, batchSize, optimizer,
    lrSchedule: (epoch) => lr * 0.5 ** epoch,
    ...progressReporter(process.stdout, epochs),
  });
  const test = evaluate(model, data.test);
  const seconds = (performance.now() - started) / 1000;
  const trained = history.epochs.reduce((n, e) => n + e.samplesPerSecond * e.seconds, 0);
  const trainSeconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  console.log(`test accuracy ${(100 * test.accuracy).toFixed(2)}%  test loss ${test.loss.toFixed(4)}  wall time ${seconds.toFixed(1)}s  training ${Math.round(trained / trainSeconds).toLocaleString('en-US')} samples/s`);
  if (values.save) {
    await save(model, values.save);
    console.log(`weights saved to ${values.save}`);
  }
}

function summaryCommand(args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { model: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(HELP.summary);
  const name: PresetName = oneOf('model', values.model, presetNames, 'default');
  console.log(`${name}: ${describeModel(name)}\n${summary(createModel(name), [1, 1, 28, 28]).toString()}`);
}

async function benchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      model: { type: 'string' }, 'batch-size': { type: 'string' }, steps: { type: 'string' }, threads: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(HELP.bench);
  const options = {
    model: oneOf('model', values.model, presetNames, 'lenet'),
    batchSize: positiveInteger('batch-size', values['batch-size'], 64),
    steps: positiveInteger('steps', values.steps, 20),
  };
  await runQuickBench(options, await useThreads(values.threads));
}

/** Runs the CLI with `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help') console.log(HELP.main);
    else if (command === 'train') await train(rest);
    else if (command === 'summary') summaryCommand(rest);
    else if (command === 'bench') await benchCommand(rest);
    else throw new UsageError(`unknown command '${command}'. Commands: train, summary, bench (see 'simdnn --help')`);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || error instanceof SimdnnError || code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`simdnn: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

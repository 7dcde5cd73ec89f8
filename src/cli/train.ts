// `simdnn train`: a preset model trained on MNIST or on a folder of images, with optional
// augmentation, a learning-rate scheduler and a checkpoint of the best epoch.
import { parseArgs } from 'node:util';
import { setBackend, type BackendName } from '../backend/index.js';
import type { Dataset } from '../data/dataset.js';
import { imageFolder } from '../data/image-folder.js';
import { loadMnist } from '../data/mnist.js';
import { channelStats } from '../data/normalize.js';
import { Compose, type Transform } from '../data/transforms/transform.js';
import { Normalize } from '../data/transforms/normalize.js';
import { RandomCrop } from '../data/transforms/random-crop.js';
import { RandomHorizontalFlip } from '../data/transforms/random-horizontal-flip.js';
import { load } from '../io/save-load.js';
import { createModel, describeModel, presetNames } from '../models/presets.js';
import type { Module } from '../nn/module.js';
import { Adam, AdamW } from '../optim/adam.js';
import type { Optimizer } from '../optim/optimizer.js';
import { OneCycleLR } from '../optim/lr-scheduler/one-cycle.js';
import type { LrScheduler } from '../optim/lr-scheduler/scheduler.js';
import { CosineAnnealingLR, StepLR } from '../optim/lr-scheduler/schedules.js';
import { SGD } from '../optim/sgd.js';
import { manualSeed } from '../random.js';
import { ModelCheckpoint } from '../train/callbacks/model-checkpoint.js';
import { evaluate } from '../train/evaluate.js';
import { fitAsync } from '../train/fit.js';
import { cardMetadata, type ModelCard } from './model-card.js';
import { DEFAULT_THREADS, DETERMINISTIC_HELP, describeKernels, imageSize, oneOf, positiveInteger, UsageError, useDeterministic, useThreads } from './options.js';
import { progressReporter } from './progress.js';

const schedulerNames = ['step', 'cosine', 'onecycle'] as const;
type SchedulerName = (typeof schedulerNames)[number];

/** The two splits to train and test on, with what the model needs to know of them. */
interface TrainingData {
  train: Dataset;
  test: Dataset;
  classes: string[];
  /** [channels, height, width]. */
  inputShape: [number, number, number];
  /** For the opening line: what the data is. */
  source: string;
}

async function mnist(limit: number | undefined): Promise<TrainingData> {
  const { train, test } = await loadMnist({ trainLimit: limit });
  return { train, test, classes: Array.from({ length: 10 }, (_, d) => String(d)), inputShape: [1, 28, 28], source: 'MNIST' };
}

async function folder(dir: string, [height, width]: [number, number], grayscale: boolean): Promise<TrainingData> {
  const data = await imageFolder(dir, { size: [height, width], grayscale });
  if (data.train.length === 0) throw new UsageError(`--data ${dir}: no training images could be loaded`);
  if (data.test.length === 0) throw new UsageError(`--data ${dir}: no test images (add a test/ or val/ folder, or more images per class for the 10 % hold-out)`);
  const split = data.split === 'folders' ? 'its split folders' : 'a 10 % hold-out';
  const skipped = data.skipped.length === 0 ? '' : `, ${data.skipped.length} unreadable skipped`;
  return {
    train: data.train, test: data.test, classes: [...data.classes], inputShape: [grayscale ? 1 : 3, height, width],
    source: `${dir} (${data.classes.length} classes, ${data.test.length.toLocaleString('en-US')} test images from ${split}${skipped})`,
  };
}

function makeOptimizer(name: 'adam' | 'adamw' | 'sgd', model: Module, lr: number): Optimizer {
  if (name === 'sgd') return new SGD(model.parameters(), { lr, momentum: 0.9 });
  return name === 'adamw' ? new AdamW(model.parameters(), { lr }) : new Adam(model.parameters(), { lr });
}

/** step: the rate halves every epoch; cosine: cosine annealing to 0 over the run; onecycle: OneCycleLR up to --lr and down, per batch. */
function makeScheduler(name: SchedulerName, optimizer: Optimizer, epochs: number, batchesPerEpoch: number): LrScheduler {
  if (name === 'onecycle') return new OneCycleLR(optimizer, { maxLr: optimizer.lr, totalSteps: epochs * batchesPerEpoch });
  if (name === 'cosine') return new CosineAnnealingLR(optimizer, { tMax: epochs });
  return new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
}

/** Augmentation of `--augment`: random crops of the image padded by an eighth of its size, and horizontal flips. */
function augmentation([, height, width]: [number, number, number]): Transform[] {
  return [new RandomCrop([height, width], { padding: Math.max(1, Math.round(Math.min(height, width) / 8)) }), new RandomHorizontalFlip()];
}

export const TRAIN_HELP = `Usage: simdnn train [options]

Trains a preset model on MNIST (default: a small CNN to ≥ 99% test accuracy) or on a folder of
images (--data), checking it on the test split after every epoch.

Options:
  --data DIR          train on an image folder: DIR/<class>/*.png|jpg, with DIR/train and
                      DIR/test (or DIR/val) when present, otherwise a 10 % hold-out per class
  --size HxW          resize the folder's images to this (default: 32x32)
  --grayscale         one grey channel instead of RGB (with --data)
  --augment           random crops (padding 1/8 of the size) and horizontal flips while training
  --model NAME        ${presetNames.join(' | ')} (default: default)
  --epochs N          passes over the training set (default: 5)
  --batch-size N      samples per step (default: 64)
  --lr X              learning rate (default: 0.002 for adam/adamw, 0.05 for sgd)
  --scheduler NAME    step (halve every epoch, the default) | cosine (to 0 by the last epoch) |
                      onecycle (OneCycleLR up to --lr and down, per batch)
  --optimizer NAME    adam | adamw | sgd (default: adam; sgd uses momentum 0.9)
  --backend NAME      wasm | ts (default: wasm)
  --threads N         threads of the wasm backend (default: ${DEFAULT_THREADS})
${DETERMINISTIC_HELP}
  --seed N            seed for initialisation, shuffling and augmentation (default: 0)
  --limit N           use only the first N MNIST training samples (quick runs)
  --save PATH         write the weights of the epoch with the best test accuracy (safetensors,
                      with the classes, input size and normalisation for 'simdnn predict')
  --load PATH         start from saved weights
  -h, --help          this help`;

export async function trainCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, strict: true, allowPositionals: false,
    options: {
      model: { type: 'string' }, epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
      optimizer: { type: 'string' }, backend: { type: 'string' }, seed: { type: 'string' }, limit: { type: 'string' },
      threads: { type: 'string' }, deterministic: { type: 'boolean' }, save: { type: 'string' }, load: { type: 'string' },
      data: { type: 'string' }, size: { type: 'string' }, grayscale: { type: 'boolean' }, augment: { type: 'boolean' }, scheduler: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(TRAIN_HELP);
  const modelName = oneOf('model', values.model, presetNames, 'default');
  const epochs = positiveInteger('epochs', values.epochs, 5);
  const batchSize = positiveInteger('batch-size', values['batch-size'], 64);
  const optimizerName = oneOf('optimizer', values.optimizer, ['adam', 'adamw', 'sgd'] as const, 'adam');
  const schedulerName = oneOf('scheduler', values.scheduler, schedulerNames, 'step');
  const backend = oneOf<BackendName>('backend', values.backend, ['wasm', 'ts'], 'wasm');
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${values.seed}'`);
  const lr = values.lr === undefined ? (optimizerName === 'sgd' ? 0.05 : 0.002) : Number(values.lr);
  if (!(lr > 0)) throw new UsageError(`--lr must be a positive number, got '${values.lr}'`);
  const limit = values.limit === undefined ? undefined : positiveInteger('limit', values.limit, 0);
  if (values.data === undefined && (values.size !== undefined || values.grayscale)) throw new UsageError('--size and --grayscale apply to --data (MNIST is 1×28×28)');
  if (values.data !== undefined && limit !== undefined) throw new UsageError('--limit applies to MNIST; with --data, train on a smaller folder');
  const size = imageSize('size', values.size, [32, 32]);
  if (backend === 'ts' && values.threads !== undefined) throw new UsageError('--threads applies to the wasm backend only (the ts backend runs on one thread)');
  if (backend === 'ts' && values.deterministic) throw new UsageError('--deterministic applies to the wasm backend only (the ts backend is the same everywhere)');
  const threads = backend === 'wasm' ? await useThreads(values.threads) : 1; // workers ready before the first batch
  useDeterministic(values.deterministic);

  const started = performance.now();
  setBackend(backend);
  manualSeed(seed);
  const data = values.data === undefined ? await mnist(limit) : await folder(values.data, size, values.grayscale ?? false);
  const [channels, height, width] = data.inputShape;
  const model = createModel(modelName, { channels, height, width, classes: data.classes.length });
  if (values.load) await load(model, values.load);
  // Statistics of the training set only, applied to every batch (training, test and later predictions).
  const { mean, std } = channelStats(data.train.images);
  const normalize = new Normalize(mean, std.map((s) => (s === 0 ? 1 : s)));
  const card: ModelCard = { model: modelName, classes: data.classes, inputShape: data.inputShape, mean: [...normalize.mean], std: [...normalize.std] };
  const optimizer = makeOptimizer(optimizerName, model, lr);
  const scheduler = makeScheduler(schedulerName, optimizer, epochs, Math.ceil(data.train.length / batchSize));
  const checkpoint = values.save === undefined ? undefined : new ModelCheckpoint(values.save, { monitor: 'valAccuracy', saveBestOnly: true, metadata: cardMetadata(card) });
  console.log(`simdnn: training '${modelName}' (${values.data === undefined ? describeModel(modelName) : `${channels}×${height}×${width} in, ${data.classes.length} classes out`}) on ${data.source}: ${data.train.length.toLocaleString('en-US')} samples, ${epochs} epoch${epochs === 1 ? '' : 's'}, batch ${batchSize}, ${optimizerName} lr ${lr} (${schedulerName} schedule)${values.augment ? ', augmented' : ''}, ${backend} backend on ${threads} thread${threads === 1 ? '' : 's'}${backend === 'wasm' ? `, ${describeKernels()}` : ''}`);

  const history = await fitAsync(model, {
    train: data.train, validation: data.test, epochs, batchSize, optimizer, scheduler,
    transform: new Compose([...(values.augment ? augmentation(data.inputShape) : []), normalize]), validationTransform: normalize,
    callbacks: checkpoint ? [checkpoint] : [],
    ...progressReporter(process.stdout, epochs),
  });
  const test = evaluate(model, data.test, { transform: normalize });
  const seconds = (performance.now() - started) / 1000;
  const trained = history.epochs.reduce((n, e) => n + e.samplesPerSecond * e.seconds, 0);
  const trainSeconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  console.log(`test accuracy ${(100 * test.accuracy).toFixed(2)}%  test loss ${test.loss.toFixed(4)}  wall time ${seconds.toFixed(1)}s  training ${Math.round(trained / trainSeconds).toLocaleString('en-US')} samples/s`);
  if (checkpoint) {
    const best = checkpoint.savedEpochs.at(-1)!;
    console.log(`best epoch ${best + 1} (test accuracy ${(100 * checkpoint.best).toFixed(2)}%) saved to ${values.save} with its classes and input size`);
  }
}

import type { Dataset } from '../data/dataset.js';
import type { Transform } from '../data/transforms/transform.js';
import type { Module } from '../nn/module.js';
import type { LrScheduler } from '../optim/lr-scheduler/scheduler.js';
import type { Callback } from './callbacks/callback.js';
import type { LossFunction } from './evaluate.js';
import { training } from './loop.js';
import type { MetricSpec } from './metrics.js';
import { runAsync, runSync } from './steps.js';

/** What `fit` needs of an optimiser (every `sn.optim` optimiser has it). */
export interface TrainableOptimizer {
  lr: number;
  zeroGrad(): void;
  step(): void;
}

/** Progress after one training batch. */
export interface BatchLog {
  epoch: number;
  /** Batch index within the epoch, from 0. */
  batch: number;
  batches: number;
  /** This batch's loss. */
  loss: number;
  /** Running mean loss and accuracy over the epoch so far (accuracy NaN when not among the metrics). */
  epochLoss: number;
  epochAccuracy: number;
  /** Running means of every metric over the epoch so far, by name. */
  metrics: Record<string, number>;
  /** The learning rate of this batch's step. */
  lr: number;
  /** Training samples per second over the epoch so far. */
  samplesPerSecond: number;
  /** Seconds since the epoch started. */
  seconds: number;
}

/** Results of one epoch. */
export interface EpochLog {
  epoch: number;
  loss: number;
  /** NaN when 'accuracy' is not among the metrics. */
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  /** The learning rate of the epoch's last step. */
  lr: number;
  seconds: number;
  samplesPerSecond: number;
  /**
   * Every logged value by name: `loss`, each metric (`accuracy`, `top5Accuracy` …), with a
   * validation set `valLoss` and `val` + each metric (`valAccuracy` …), and `lr`. Callbacks and
   * schedulers monitor these names.
   */
  metrics: Record<string, number>;
}

/** Per-epoch curves, so overfitting shows (training vs validation). */
export interface History {
  epochs: EpochLog[];
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
  /** Every logged value of `EpochLog.metrics`, epoch after epoch, by name (Keras's `history.history`). */
  metrics: Record<string, number[]>;
}

/** Options of `fit` and `fitAsync`. */
export interface FitOptions {
  train: Dataset;
  validation?: Dataset;
  epochs: number;
  batchSize: number;
  /** Samples per forward pass over the validation set (default `batchSize`, as Keras). */
  validationBatchSize?: number;
  optimizer: TrainableOptimizer;
  /** The loss of a batch from the model's output and the batch's targets (default `F.crossEntropy`); any `sn.F` loss. */
  loss?: LossFunction;
  /**
   * Metrics logged beside the loss, for training and validation (default `['accuracy']`):
   * `'accuracy'`, `'binaryAccuracy'`, `'top<k>Accuracy'` or `sn.metrics` objects.
   */
  metrics?: readonly MetricSpec[];
  /** Shuffle the training set every epoch (default true), from the seeded generator. */
  shuffle?: boolean;
  /** Applied to every training batch's inputs (augmentation: `sn.data.transforms`). */
  transform?: Transform;
  /** Applied to every validation batch's inputs (e.g. the same `Normalize`, without the random parts). */
  validationTransform?: Transform;
  /** Learning rate for each epoch (from 0), set on the optimiser before the epoch starts. */
  lrSchedule?: (epoch: number) => number;
  /**
   * A scheduler of `sn.optim.lrScheduler`, stepped after every batch or every epoch (see
   * `schedulerInterval`); one that needs a metric (ReduceLROnPlateau) gets `schedulerMonitor`'s value.
   */
  scheduler?: LrScheduler;
  /** When `scheduler` steps: `'batch'` (default for OneCycleLR, which counts batches) or `'epoch'` (default for the others). */
  schedulerInterval?: 'batch' | 'epoch';
  /** The logged value given to a scheduler that needs one (default `'valLoss'` with a validation set, else `'loss'`). */
  schedulerMonitor?: string;
  /** Called as training goes (`sn.callbacks.EarlyStopping`, `ModelCheckpoint`, or your own). */
  callbacks?: readonly Callback[];
  onBatch?: (log: BatchLog) => void;
  onEpoch?: (log: EpochLog) => void;
}

/**
 * Trains `model` (Keras's `fit`): for each epoch, one shuffled pass over `train` with
 * forward, loss, backward and an optimiser step per batch, then the validation set if given, then
 * the scheduler's step and the callbacks. Stops with an error naming the epoch and batch if the loss
 * becomes NaN or infinite, or earlier when a callback says so (EarlyStopping).
 *
 * It runs to the end without giving the event loop a turn: on a browser page use `fitAsync`, which
 * is also needed for callbacks that work asynchronously (ModelCheckpoint's saves).
 */
export function fit(model: Module, options: FitOptions): History {
  return runSync('fit', 'sn.fitAsync', training('fit', model, options, false));
}

/**
 * `fit` that yields to the event loop after every batch (training and validation), so a page stays
 * responsive (rendering, input) while it trains, and awaits callbacks that return promises
 * (ModelCheckpoint's saves to files or IndexedDB). Same batches, same bits as `fit`.
 */
export function fitAsync(model: Module, options: FitOptions): Promise<History> {
  return runAsync(training('fitAsync', model, options, true));
}

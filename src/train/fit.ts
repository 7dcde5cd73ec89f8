import { DataLoader } from '../data/dataloader.js';
import type { Dataset } from '../data/dataset.js';
import { SimdnnError } from '../errors.js';
import { crossEntropy } from '../functional/losses.js';
import type { Module } from '../nn/module.js';
import { countCorrect } from './metrics.js';
import { evaluate, type LossFunction } from './evaluate.js';

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
  /** Running mean loss and accuracy over the epoch so far. */
  epochLoss: number;
  epochAccuracy: number;
  /** Training samples per second over the epoch so far. */
  samplesPerSecond: number;
  /** Seconds since the epoch started. */
  seconds: number;
}

/** Results of one epoch. */
export interface EpochLog {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

/** Per-epoch curves, so overfitting shows (training vs validation). */
export interface History {
  epochs: EpochLog[];
  loss: number[];
  accuracy: number[];
  valLoss: number[];
  valAccuracy: number[];
}

/** Options of `fit`. */
export interface FitOptions {
  train: Dataset;
  validation?: Dataset;
  epochs: number;
  batchSize: number;
  optimizer: TrainableOptimizer;
  /** Default: `F.crossEntropy`. */
  loss?: LossFunction;
  /** Shuffle the training set every epoch (default true), from the seeded generator. */
  shuffle?: boolean;
  /** Learning rate for each epoch (from 0), set on the optimiser before the epoch starts. */
  lrSchedule?: (epoch: number) => number;
  onBatch?: (log: BatchLog) => void;
  onEpoch?: (log: EpochLog) => void;
}

/**
 * Trains `model` (Keras's `fit`): for each epoch, one shuffled pass over `train` with
 * forward, loss, backward and an optimiser step per batch, then the validation set if given.
 * Stops with an error naming the epoch and batch if the loss becomes NaN or infinite.
 */
export function fit(model: Module, options: FitOptions): History {
  const { train, validation, epochs, batchSize, optimizer, loss = crossEntropy, shuffle = true, lrSchedule, onBatch, onEpoch } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new SimdnnError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const loader = new DataLoader(train, { batchSize, shuffle });
  const history: History = { epochs: [], loss: [], accuracy: [], valLoss: [], valAccuracy: [] };

  for (let epoch = 0; epoch < epochs; epoch++) {
    if (lrSchedule) optimizer.lr = lrSchedule(epoch);
    model.train();
    const start = performance.now();
    let seen = 0;
    let lossSum = 0;
    let correct = 0;
    let batchIndex = 0;
    for (const batch of loader) {
      optimizer.zeroGrad();
      const output = model.forward(batch.x);
      const l = loss(output, batch.targets);
      const value = l.item();
      if (!Number.isFinite(value)) {
        throw new SimdnnError(`fit: the loss became ${value} at epoch ${epoch + 1}, batch ${batchIndex + 1} of ${loader.length} (learning rate ${optimizer.lr}); training stopped`);
      }
      l.backward();
      optimizer.step();
      const size = batch.y.length;
      seen += size;
      lossSum += value * size;
      correct += countCorrect(output, batch.y);
      for (const t of [output, l, batch.x, batch.targets]) t.dispose(); // this step's memory, back at once
      const seconds = (performance.now() - start) / 1000;
      onBatch?.({
        epoch, batch: batchIndex, batches: loader.length, loss: value,
        epochLoss: lossSum / seen, epochAccuracy: correct / seen,
        samplesPerSecond: seen / seconds, seconds,
      });
      batchIndex++;
    }
    const seconds = (performance.now() - start) / 1000;
    const log: EpochLog = {
      epoch, loss: lossSum / seen, accuracy: correct / seen, lr: optimizer.lr, seconds, samplesPerSecond: seen / seconds,
    };
    if (validation) {
      const v = evaluate(model, validation, { loss });
      log.valLoss = v.loss;
      log.valAccuracy = v.accuracy;
      history.valLoss.push(v.loss);
      history.valAccuracy.push(v.accuracy);
    }
    history.epochs.push(log);
    history.loss.push(log.loss);
    history.accuracy.push(log.accuracy);
    onEpoch?.(log);
  }
  return history;
}

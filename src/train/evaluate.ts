import { noGrad } from '../autograd.js';
import { crossEntropy } from '../functional/losses.js';
import { DataLoader } from '../data/dataloader.js';
import type { Dataset } from '../data/dataset.js';
import type { Transform } from '../data/transforms/transform.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { MetricTotals, resolveMetrics, type MetricSpec } from './metrics.js';
import { BATCH_DONE, runSync, type Steps } from './steps.js';

/** A loss taking the model's output and the batch's targets, returning a one-element tensor (e.g. any loss of `sn.F`). */
export type LossFunction = (output: Tensor, targets: Tensor) => Tensor;

/** Mean loss and metrics over a data set. */
export interface Evaluation {
  loss: number;
  /** The 'accuracy' metric (NaN when it was not asked for). */
  accuracy: number;
  /** Every metric's value by name (`accuracy`, `top5Accuracy` …). */
  metrics: Record<string, number>;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per forward pass (default 256). */
  batchSize?: number;
  /** Default: `F.crossEntropy`. */
  loss?: LossFunction;
  /** Metrics besides the loss (default `['accuracy']`): names or `sn.metrics` objects. */
  metrics?: readonly MetricSpec[];
  /** Applied to each batch of inputs first (e.g. the `Normalize` the model was trained with). */
  transform?: Transform;
}

/**
 * Runs the model in evaluation mode without recording a graph over every sample of `data`; returns
 * the sample-weighted mean loss and metrics. The model's training mode is restored afterwards.
 */
export function evaluate(model: Module, data: Dataset, options: EvaluateOptions = {}): Evaluation {
  return runSync('evaluate', 'sn.fitAsync', evaluation(model, data, options));
}

/** `evaluate` as steps that pause after every batch (for `fitAsync`'s validation). */
export function* evaluation(model: Module, data: Dataset, options: EvaluateOptions = {}): Steps<Evaluation> {
  const { batchSize = 256, loss = crossEntropy, transform } = options;
  const totals = new MetricTotals(resolveMetrics('evaluate', options.metrics ?? ['accuracy']));
  const wasTraining = model.training;
  let lossSum = 0;
  model.eval();
  try {
    for (const batch of new DataLoader(data, { batchSize, transform })) {
      noGrad(() => {
        const output = model.forward(batch.x);
        const l = loss(output, batch.targets);
        lossSum += l.item() * batch.x.shape[0];
        totals.add(output, batch.targets);
        for (const t of [output, l, batch.x, batch.targets]) t.dispose();
      });
      yield BATCH_DONE;
    }
  } finally {
    model.train(wasTraining);
  }
  const metrics = totals.means();
  return { loss: lossSum / data.length, accuracy: metrics.accuracy ?? NaN, metrics };
}

import { noGrad } from '../autograd.js';
import { crossEntropy } from '../functional/losses.js';
import { DataLoader } from '../data/dataloader.js';
import type { Dataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { countCorrect } from './metrics.js';

/** A loss taking the model's output and the batch's class indices, returning a one-element tensor. */
export type LossFunction = (output: Tensor, targets: Tensor) => Tensor;

/** Mean loss and accuracy over a data set. */
export interface Evaluation {
  loss: number;
  accuracy: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** Samples per forward pass (default 256). */
  batchSize?: number;
  /** Default: `F.crossEntropy`. */
  loss?: LossFunction;
}

/**
 * Runs the model in evaluation mode without recording a graph over every sample of `data`; returns
 * the sample-weighted mean loss and the accuracy. The model's training mode is restored afterwards.
 */
export function evaluate(model: Module, data: Dataset, { batchSize = 256, loss = crossEntropy }: EvaluateOptions = {}): Evaluation {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let lossSum = 0;
      let correct = 0;
      for (const batch of new DataLoader(data, { batchSize })) {
        const output = model.forward(batch.x);
        const l = loss(output, batch.targets);
        lossSum += l.item() * batch.y.length;
        correct += countCorrect(output, batch.y);
        for (const t of [output, l, batch.x, batch.targets]) t.dispose();
      }
      return { loss: lossSum / data.length, accuracy: correct / data.length };
    });
  } finally {
    model.train(wasTraining);
  }
}

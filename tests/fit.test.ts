import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { halves } from './helpers/halves.js';

describe('fit and evaluate', () => {
  it('train a model and record per-epoch training and validation loss and accuracy', () => {
    sn.manualSeed(0);
    const model = new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(16, 2));
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.5 });
    const epochs: number[] = [];
    let batches = 0;
    const history = sn.fit(model, {
      train: halves(64, 1), validation: halves(32, 2), epochs: 3, batchSize: 16, optimizer,
      onBatch: () => batches++, onEpoch: (log) => epochs.push(log.epoch),
    });
    expect(epochs).toEqual([0, 1, 2]);
    expect(batches).toBe(12);
    expect(history.loss).toHaveLength(3);
    expect(history.valAccuracy).toHaveLength(3);
    expect(history.loss[2]).toBeLessThan(history.loss[0]);
    expect(sn.evaluate(model, halves(32, 3)).accuracy).toBe(1);
  });

  it('apply the learning-rate schedule before each epoch', () => {
    const model = new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(16, 2));
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 1 });
    const history = sn.fit(model, { train: halves(8, 1), epochs: 3, batchSize: 8, optimizer, lrSchedule: (e) => 0.1 / (e + 1) });
    expect(history.epochs.map((e) => e.lr)).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('stop with a message naming the epoch and batch when the loss becomes NaN', () => {
    const model = new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(16, 2));
    const data = halves(8, 1);
    data.images.data[3] = NaN;
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1 });
    expect(() => sn.fit(model, { train: data, epochs: 1, batchSize: 8, optimizer })).toThrow(
      /fit: the loss became NaN at epoch 1, batch 1 of 1/);
  });
});

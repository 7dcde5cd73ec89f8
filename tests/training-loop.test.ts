import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { weightsOf } from './helpers/checkpoint-run.js';
import { halves } from './helpers/halves.js';

function linearModel(seed = 0): sn.nn.Sequential {
  sn.manualSeed(seed);
  return new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(16, 2));
}

const metricBatch = (output: number[][], targets: number[] | number[][]) => ({
  output: Float32Array.from(output.flat()), outputShape: [output.length, output[0].length],
  targets: Float32Array.from(targets.flat()), targetShape: Array.isArray(targets[0]) ? [targets.length, (targets[0] as number[]).length] : [targets.length],
});

describe('metrics', () => {
  const scores = [[0.1, 0.5, 0.4], [0.3, 0.3, 0.4], [0.2, 0.7, 0.1], [0.6, 0.2, 0.2]];

  it('accuracy counts samples whose largest score is at their class (class indices or one-hot targets)', () => {
    expect(sn.metrics.accuracy.batchSum(metricBatch(scores, [1, 0, 1, 2]))).toBe(2);
    expect(sn.metrics.accuracy.batchSum(metricBatch(scores, [[0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]))).toBe(2);
  });

  it('top-k accuracy counts a class with fewer than k higher scores, ties at the boundary included', () => {
    const top2 = sn.metrics.topKAccuracy(2);
    expect(top2.name).toBe('top2Accuracy');
    // sample 1: class 0 ties with class 1 behind class 2: one higher score, inside the top 2.
    expect(top2.batchSum(metricBatch(scores, [2, 0, 2, 0]))).toBe(3);
    expect(sn.metrics.topKAccuracy(3).batchSum(metricBatch(scores, [2, 0, 2, 1]))).toBe(4);
  });

  it('binary accuracy thresholds each output and averages over a sample\'s outputs (multi-label)', () => {
    expect(sn.metrics.binaryAccuracy().batchSum(metricBatch([[0.9], [0.2], [0.6]], [[1], [1], [0]]))).toBe(1);
    expect(sn.metrics.binaryAccuracy({ threshold: 0 }).batchSum(metricBatch([[2, -1, 3, -4]], [[1, 0, 0, 0]]))).toBe(0.75);
    // 'accuracy' with one output per sample is binary accuracy at 0.5, as in Keras.
    expect(sn.metrics.accuracy.batchSum(metricBatch([[0.9], [0.2], [0.6]], [1, 1, 0]))).toBe(1);
  });

  it('evaluate reports the metrics asked for by name', () => {
    const model = linearModel();
    const result = sn.evaluate(model, halves(20, 3), { metrics: ['accuracy', 'top2Accuracy'] });
    expect(Object.keys(result.metrics)).toEqual(['accuracy', 'top2Accuracy']);
    expect(result.metrics.top2Accuracy).toBe(1);
    expect(result.accuracy).toBe(result.metrics.accuracy);
    expect(() => sn.evaluate(model, halves(4, 3), { metrics: ['precision' as never] })).toThrow(/evaluate: unknown metric "precision"/);
  });
});

describe('fit with a loss, metrics and float targets', () => {
  it('trains with any loss on float targets and logs every metric in the history, old fields kept', () => {
    const train = halves(32, 1);
    const oneHot = new sn.data.TensorDataset({ data: train.images.data, shape: train.images.shape }, sn.tensor(Array.from(train.labels, (l) => (l === 0 ? [1, 0] : [0, 1]))));
    const model = linearModel();
    const history = sn.fit(model, {
      train: oneHot, validation: oneHot, epochs: 10, batchSize: 8, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.2 }),
      loss: sn.F.mseLoss, metrics: ['accuracy', 'binaryAccuracy'],
    });
    expect(Object.keys(history.metrics).sort()).toEqual(['accuracy', 'binaryAccuracy', 'loss', 'lr', 'valAccuracy', 'valBinaryAccuracy', 'valLoss']);
    expect(history.loss).toEqual(history.metrics.loss);
    expect(history.valAccuracy).toEqual(history.metrics.valAccuracy);
    expect(history.epochs[2].metrics.valLoss).toBe(history.valLoss[2]);
    expect(history.loss[9]).toBeLessThan(history.loss[0]);
    expect(history.valAccuracy[9]).toBeGreaterThanOrEqual(0.9);
  });

  it('trains a binary classifier with binaryCrossEntropyWithLogits on [N, 1] targets, scored by binary accuracy on logits', () => {
    const images = halves(32, 1);
    const binary = new sn.data.TensorDataset({ data: images.images.data, shape: images.images.shape }, sn.tensor(Array.from(images.labels, (l) => [l])));
    sn.manualSeed(0);
    const model = new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(16, 1));
    const history = sn.fit(model, {
      train: binary, validation: binary, epochs: 8, batchSize: 8, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.5 }),
      loss: sn.F.binaryCrossEntropyWithLogits, metrics: [sn.metrics.binaryAccuracy({ threshold: 0 })],
    });
    expect(history.metrics.loss[7]).toBeLessThan(history.metrics.loss[0]);
    expect(history.metrics.valBinaryAccuracy[7]).toBeGreaterThanOrEqual(0.9);
  });

  it('takes a loss with options as a closure (label smoothing)', () => {
    const model = linearModel();
    const loss = (output: sn.Tensor, targets: sn.Tensor) => sn.F.crossEntropy(output, targets, { labelSmoothing: 0.1 });
    const data = halves(16, 1);
    const history = sn.fit(model, { train: data, epochs: 1, batchSize: 16, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0 }), loss });
    expect(history.loss[0]).toBeCloseTo(sn.evaluate(model, data, { loss }).loss, 6);
    expect(Math.abs(history.loss[0] - sn.evaluate(model, data).loss)).toBeGreaterThan(1e-4);
  });

  it('logs no accuracy when the metrics leave it out', () => {
    const model = linearModel();
    const history = sn.fit(model, { train: halves(8, 1), epochs: 1, batchSize: 8, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), metrics: [] });
    expect(Object.keys(history.metrics)).toEqual(['loss', 'lr']);
    expect(history.accuracy).toEqual([NaN]);
  });
});

describe('fit with a scheduler', () => {
  it('steps OneCycleLR after every batch: the rates of the batches are its sequence', () => {
    const model = linearModel();
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const scheduler = new sn.optim.lrScheduler.OneCycleLR(optimizer, { maxLr: 0.5, totalSteps: 12 });
    const twin = new sn.optim.SGD(linearModel(1).parameters(), { lr: 0.1, momentum: 0.9 });
    const reference = new sn.optim.lrScheduler.OneCycleLR(twin, { maxLr: 0.5, totalSteps: 12 });
    const expected = Array.from({ length: 12 }, (_, i) => {
      if (i > 0) reference.step();
      return twin.lr;
    });
    const rates: number[] = [];
    sn.fit(model, { train: halves(32, 1), epochs: 3, batchSize: 8, optimizer, scheduler, onBatch: (log) => rates.push(log.lr) });
    expect(rates).toEqual(expected);
  });

  it('steps StepLR after every epoch', () => {
    const model = linearModel();
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1 });
    const scheduler = new sn.optim.lrScheduler.StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
    const history = sn.fit(model, { train: halves(16, 1), epochs: 5, batchSize: 8, optimizer, scheduler });
    expect(history.metrics.lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('steps ReduceLROnPlateau with the monitored value, halving the rate once it stops improving', () => {
    const model = linearModel();
    // The optimiser holds an unused parameter, so the model never changes and the loss never improves.
    const unused = sn.zeros([1]);
    unused.requiresGrad = true;
    const optimizer = new sn.optim.SGD([unused], { lr: 0.1 });
    const scheduler = new sn.optim.lrScheduler.ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 0 });
    const data = halves(16, 1);
    const history = sn.fit(model, { train: data, validation: data, epochs: 4, batchSize: 8, optimizer, scheduler, schedulerMonitor: 'valLoss' });
    expect(history.metrics.lr).toEqual([0.1, 0.1, 0.05, 0.025]);
  });

  it('names a monitored value that is not logged, and refuses two schedules', () => {
    const model = linearModel();
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1 });
    const plateau = new sn.optim.lrScheduler.ReduceLROnPlateau(optimizer);
    expect(() => sn.fit(model, { train: halves(8, 1), epochs: 1, batchSize: 8, optimizer, scheduler: plateau, schedulerMonitor: 'valAccuracy' }))
      .toThrow("fit: schedulerMonitor 'valAccuracy' is not among the logged values (loss, accuracy, lr)");
    expect(() => sn.fit(model, { train: halves(8, 1), epochs: 1, batchSize: 8, optimizer, scheduler: plateau, lrSchedule: () => 1 }))
      .toThrow('fit: give either scheduler or lrSchedule, not both');
  });
});

describe('callbacks', () => {
  /** A run whose 'lr' rises every epoch: a monitored value that never improves after epoch 0 (mode min). */
  const rising = { train: halves(16, 1), epochs: 10, batchSize: 8, lrSchedule: (e: number) => 0.1 * (e + 1) };

  it('EarlyStopping stops after `patience` epochs without improvement', () => {
    const model = linearModel();
    const stopper = new sn.callbacks.EarlyStopping({ monitor: 'lr', patience: 2 });
    const history = sn.fit(model, { ...rising, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [stopper] });
    expect(history.epochs).toHaveLength(3);
    expect([stopper.bestEpoch, stopper.stoppedEpoch, stopper.best]).toEqual([0, 2, 0.1]);
  });

  it('EarlyStopping counts an improvement only beyond minDelta, and restores the best epoch\'s weights', () => {
    const model = linearModel();
    const weights: Record<string, number[]>[] = [];
    const stopper = new sn.callbacks.EarlyStopping({ monitor: 'accuracy', patience: 1, minDelta: 2, restoreBestWeights: true });
    const keep: sn.callbacks.Callback = { onEpochEnd: () => void weights.push(weightsOf(model)) };
    sn.fit(model, { ...rising, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [keep, stopper] });
    expect(weights).toHaveLength(2); // accuracy cannot rise by 2: epoch 0 stays the best
    expect(weightsOf(model)).toEqual(weights[0]);
    expect(weights[1]).not.toEqual(weights[0]);
  });

  it('EarlyStopping names a monitor that is not logged', () => {
    const model = linearModel();
    expect(() => sn.fit(model, { ...rising, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [new sn.callbacks.EarlyStopping()] }))
      .toThrow("EarlyStopping: monitor 'valLoss' is not among the logged values (loss, accuracy, lr); values named val… need a validation set");
  });

  it('ModelCheckpoint needs fitAsync, and says so before training', () => {
    const model = linearModel();
    let batches = 0;
    expect(() => sn.fit(model, { ...rising, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [new sn.callbacks.ModelCheckpoint('best.safetensors')], onBatch: () => batches++ }))
      .toThrow("ModelCheckpoint: saving to 'best.safetensors' is asynchronous; train with await sn.fitAsync(model, options) instead of sn.fit");
    expect(batches).toBe(0);
  });

  it('fit refuses a callback that returns a promise; fitAsync awaits it before going on', async () => {
    const model = linearModel();
    const slow: sn.callbacks.Callback = { onEpochEnd: () => new Promise((resolve) => setTimeout(resolve, 5)) };
    expect(() => sn.fit(model, { ...rising, epochs: 1, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [slow] }))
      .toThrow("fit: the callback Object's onEpochEnd returned a promise, which fit cannot wait for; use await sn.fitAsync(…)");
    const order: string[] = [];
    const awaited: sn.callbacks.Callback = {
      onEpochEnd: async (log) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`saved ${log.epoch}`);
      },
    };
    await sn.fitAsync(model, { ...rising, epochs: 2, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), callbacks: [awaited], onBatch: (log) => order.push(`batch ${log.epoch}.${log.batch}`) });
    expect(order).toEqual(['batch 0.0', 'batch 0.1', 'saved 0', 'batch 1.0', 'batch 1.1', 'saved 1']);
  });
});

describe('fitAsync', () => {
  it('gives the same history and weights as fit from the same seed', async () => {
    const run = async (useAsync: boolean) => {
      const model = linearModel(5);
      const data = halves(40, 2);
      sn.manualSeed(9);
      const options = { train: data, validation: data, epochs: 2, batchSize: 8, optimizer: new sn.optim.Adam(model.parameters(), { lr: 0.01 }) };
      const history = useAsync ? await sn.fitAsync(model, options) : sn.fit(model, options);
      return { logs: history.epochs.map(({ seconds, samplesPerSecond, ...rest }) => rest), weights: weightsOf(model) };
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('lets timers run between batches', async () => {
    const model = linearModel();
    let timerFired = false;
    let firedBeforeLastBatch = false;
    setTimeout(() => { timerFired = true; }, 0);
    await sn.fitAsync(model, {
      train: halves(64, 1), epochs: 1, batchSize: 4, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }),
      onBatch: (log) => { if (log.batch === log.batches - 1) firedBeforeLastBatch = timerFired; },
    });
    expect(firedBeforeLastBatch).toBe(true);
  });
});

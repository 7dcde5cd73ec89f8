// The training loop of fit and fitAsync, written once as steps (see steps.ts).
import { DataLoader } from '../data/dataloader.js';
import { SimdnnError } from '../errors.js';
import { crossEntropy } from '../functional/losses.js';
import type { Module } from '../nn/module.js';
import type { LrScheduler } from '../optim/lr-scheduler/scheduler.js';
import type { Callback, TrainingContext } from './callbacks/callback.js';
import { evaluation } from './evaluate.js';
import type { EpochLog, FitOptions, History } from './fit.js';
import { MetricTotals, resolveMetrics, validationName, type Metric } from './metrics.js';
import { BATCH_DONE, settle, type Steps } from './steps.js';

/** The training of `fit` (op 'fit') or `fitAsync` (`async`: callbacks may return promises). */
export function* training(op: string, model: Module, options: FitOptions, async: boolean): Steps<History> {
  const { train, validation, epochs, batchSize, validationBatchSize = batchSize, optimizer, loss = crossEntropy, shuffle = true, transform, validationTransform, lrSchedule, onEpoch } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new SimdnnError(`${op}: epochs must be a non-negative integer, got ${epochs}`);
  const metrics = resolveMetrics(op, options.metrics ?? ['accuracy']);
  const stepper = schedulerStepper(op, options);
  const callbacks = options.callbacks ?? [];
  const context: TrainingContext = { model, optimizer, async, stopTraining: false };
  const loader = new DataLoader(train, { batchSize, shuffle, transform });
  const history: History = { epochs: [], loss: [], accuracy: [], valLoss: [], valAccuracy: [], metrics: {} };

  yield* runHooks(callbacks, 'onTrainBegin', (cb) => cb.onTrainBegin?.(context));
  for (let epoch = 0; epoch < epochs && !context.stopTraining; epoch++) {
    if (lrSchedule) optimizer.lr = lrSchedule(epoch);
    const run = yield* trainEpoch(op, epoch, model, loader, metrics, options, stepper.afterBatch);
    const logged: Record<string, number> = { loss: run.loss, ...run.metrics };
    if (validation) {
      const v = yield* evaluation(model, validation, { batchSize: validationBatchSize, loss, metrics, transform: validationTransform });
      logged.valLoss = v.loss;
      for (const [name, x] of Object.entries(v.metrics)) logged[validationName(name)] = x;
    }
    logged.lr = run.lr;
    const log: EpochLog = {
      epoch, loss: logged.loss, accuracy: logged.accuracy ?? NaN, lr: run.lr, seconds: run.seconds, samplesPerSecond: run.samplesPerSecond, metrics: logged,
      ...(validation ? { valLoss: logged.valLoss, valAccuracy: logged.valAccuracy ?? NaN } : {}),
    };
    stepper.afterEpoch(logged);
    record(history, log);
    onEpoch?.(log);
    yield* runHooks(callbacks, 'onEpochEnd', (cb) => cb.onEpochEnd?.(log, context));
  }
  yield* runHooks(callbacks, 'onTrainEnd', (cb) => cb.onTrainEnd?.(history, context));
  return history;
}

/** What one pass over the training set measured. */
interface EpochRun {
  /** Sample-weighted mean loss and metrics. */
  loss: number;
  metrics: Record<string, number>;
  /** The learning rate of the last step. */
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

/** One pass over the training set: forward, loss, backward and an optimiser step per batch. */
function* trainEpoch(op: string, epoch: number, model: Module, loader: DataLoader, metrics: readonly Metric[], options: FitOptions, afterStep: () => void): Steps<EpochRun> {
  const { optimizer, loss = crossEntropy, onBatch } = options;
  model.train();
  const start = performance.now();
  const totals = new MetricTotals(metrics);
  let lossSum = 0;
  let lr = optimizer.lr;
  let batchIndex = 0;
  for (const batch of loader) {
    optimizer.zeroGrad();
    const output = model.forward(batch.x);
    const l = loss(output, batch.targets);
    const value = l.item();
    if (!Number.isFinite(value)) {
      throw new SimdnnError(`${op}: the loss became ${value} at epoch ${epoch + 1}, batch ${batchIndex + 1} of ${loader.length} (learning rate ${optimizer.lr}); training stopped`);
    }
    l.backward();
    lr = optimizer.lr;
    optimizer.step();
    afterStep();
    lossSum += value * batch.x.shape[0];
    totals.add(output, batch.targets);
    for (const t of [output, l, batch.x, batch.targets]) t.dispose(); // this step's memory, back at once
    const seconds = (performance.now() - start) / 1000;
    const running = totals.means();
    onBatch?.({
      epoch, batch: batchIndex, batches: loader.length, loss: value,
      epochLoss: lossSum / totals.samples, epochAccuracy: running.accuracy ?? NaN, metrics: running,
      lr, samplesPerSecond: totals.samples / seconds, seconds,
    });
    batchIndex++;
    yield BATCH_DONE;
  }
  const seconds = (performance.now() - start) / 1000;
  return { loss: lossSum / totals.samples, metrics: totals.means(), lr, seconds, samplesPerSecond: totals.samples / seconds };
}

/** Adds an epoch's log to the history. */
function record(history: History, log: EpochLog): void {
  history.epochs.push(log);
  history.loss.push(log.loss);
  history.accuracy.push(log.accuracy);
  if (log.valLoss !== undefined) history.valLoss.push(log.valLoss);
  if (log.valAccuracy !== undefined) history.valAccuracy.push(log.valAccuracy);
  for (const [name, value] of Object.entries(log.metrics)) (history.metrics[name] ??= []).push(value);
}

/** Runs one hook of every callback in order, pausing on the promises they return. */
function* runHooks(callbacks: readonly Callback[], hook: keyof Callback, call: (cb: Callback) => unknown): Steps<void> {
  for (const cb of callbacks) yield* settle(call(cb), `the callback ${cb.constructor?.name ?? 'object'}'s ${hook}`);
}

/** When the scheduler steps: after each batch or each epoch, with the monitored value if it needs one. */
function schedulerStepper(op: string, options: FitOptions): { afterBatch(): void; afterEpoch(logged: Record<string, number>): void } {
  const { scheduler, lrSchedule, validation } = options;
  if (!scheduler) return { afterBatch() {}, afterEpoch() {} };
  if (lrSchedule) throw new SimdnnError(`${op}: give either scheduler or lrSchedule, not both`);
  const interval = options.schedulerInterval ?? (scheduler.name === 'OneCycleLR' ? 'batch' : 'epoch');
  if (interval !== 'batch' && interval !== 'epoch') throw new SimdnnError(`${op}: schedulerInterval must be 'batch' or 'epoch', got ${JSON.stringify(interval)}`);
  if (scheduler.needsMetric && interval === 'batch') throw new SimdnnError(`${op}: ${scheduler.name} steps with an epoch's metric; it cannot step per batch`);
  const monitor = options.schedulerMonitor ?? (validation ? 'valLoss' : 'loss');
  const step = (s: LrScheduler, logged?: Record<string, number>) => {
    if (!s.needsMetric) return s.step();
    const value = logged?.[monitor];
    if (value === undefined) throw new SimdnnError(`${op}: schedulerMonitor '${monitor}' is not among the logged values (${Object.keys(logged ?? {}).join(', ')})`);
    s.step(value);
  };
  return {
    afterBatch: () => { if (interval === 'batch') step(scheduler); },
    afterEpoch: (logged) => { if (interval === 'epoch') step(scheduler, logged); },
  };
}

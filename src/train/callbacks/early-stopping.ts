import { SimdnnError } from '../../errors.js';
import type { Module } from '../../nn/module.js';
import { Tensor } from '../../tensor.js';
import type { EpochLog } from '../fit.js';
import type { Callback, TrainingContext } from './callback.js';
import { Monitor, type MonitorMode } from './monitor.js';

/** Options of `EarlyStopping`. */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default `'valLoss'`): any key of `EpochLog.metrics`. */
  monitor?: string;
  /** Epochs without improvement after which training stops (default 0: the first one). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Which way is better (default 'auto': higher for accuracies, lower otherwise). */
  mode?: MonitorMode;
  /** At the end, put back the weights (and buffers) of the best epoch (default false: keep the last). */
  restoreBestWeights?: boolean;
}

/**
 * Keras's `EarlyStopping`: stops training once the monitored value has not improved for `patience`
 * epochs in a row. With `restoreBestWeights`, the model's state at the best epoch is kept in host
 * memory and restored when training ends, however it ends.
 */
export class EarlyStopping implements Callback {
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  /** The epoch (from 0) whose value was best so far, or −1. */
  bestEpoch = -1;
  /** The epoch after which training was stopped, or −1 when it was not. */
  stoppedEpoch = -1;
  readonly #monitor: Monitor;
  #wait = 0;
  #bestState: Map<string, Float32Array> | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    const { monitor = 'valLoss', patience = 0, minDelta = 0, mode = 'auto', restoreBestWeights = false } = options;
    if (!Number.isInteger(patience) || patience < 0) throw new SimdnnError(`EarlyStopping: patience must be a non-negative integer, got ${patience}`);
    this.#monitor = new Monitor('EarlyStopping', monitor, mode, minDelta);
    this.patience = patience;
    this.restoreBestWeights = restoreBestWeights;
  }

  /** The best monitored value so far. */
  get best(): number {
    return this.#monitor.best;
  }

  onTrainBegin(): void {
    this.#monitor.reset();
    this.#wait = 0;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.#bestState = undefined;
  }

  onEpochEnd(log: EpochLog, context: TrainingContext): void {
    if (this.#monitor.improves(this.#monitor.value(log))) {
      this.bestEpoch = log.epoch;
      this.#wait = 0;
      if (this.restoreBestWeights) this.#bestState = snapshot(context.model);
      return;
    }
    this.#wait++;
    if (this.#wait >= this.patience) {
      this.stoppedEpoch = log.epoch;
      context.stopTraining = true;
    }
  }

  onTrainEnd(_history: unknown, context: TrainingContext): void {
    if (this.#bestState) restore(context.model, this.#bestState);
  }
}

/** A host copy of every tensor of the model's state dict. */
function snapshot(model: Module): Map<string, Float32Array> {
  return new Map(Object.entries(model.stateDict()).map(([name, t]) => [name, t.toFloat32Array()]));
}

/** Copies a snapshot back into the model (in place, as loadStateDict does). */
function restore(model: Module, state: Map<string, Float32Array>): void {
  const current = model.stateDict();
  const saved = Object.fromEntries([...state].map(([name, values]) => {
    const like = current[name];
    return [name, new Tensor(like.backend.fromValues(values), like.shape, like.backend)];
  }));
  model.loadStateDict(saved);
  for (const t of Object.values(saved)) t.dispose();
}

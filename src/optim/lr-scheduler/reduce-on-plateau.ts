// ReduceLROnPlateau: PyTorch 1.13's, stepped with the monitored metric.
import { SimdnnError } from '../../errors.js';
import type { Optimizer } from '../optimizer.js';
import { setScheduledLr } from '../optimizer.js';
import {
  check, checkOptimizer, checkState, describe, integerField, isFiniteNumber, numberField, numberFromJson, numberToJson, readOptions, type StateField,
} from './base.js';
import type { LrScheduler, LrSchedulerState } from './scheduler.js';

/** Options of `ReduceLROnPlateau`, PyTorch's in camelCase. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should fall (a loss); 'max': it should rise (an accuracy). */
  mode?: 'min' | 'max';
  /** new lr = lr · factor (default 0.1; in [0, 1)). */
  factor?: number;
  /** Steps without improvement tolerated before the rate falls (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again (default 0). */
  cooldown?: number;
  /** The rate never falls below this (default 0). */
  minLr?: number;
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

/**
 * Lowers the learning rate by `factor` once the monitored metric has not improved for more than
 * `patience` steps (PyTorch's `ReduceLROnPlateau`), then waits `cooldown` steps.
 *
 * ```ts
 * const scheduler = new sn.optim.lrScheduler.ReduceLROnPlateau(opt, { mode: 'min', patience: 2 });
 * // after each epoch: scheduler.step(validationLoss);
 * ```
 */
export class ReduceLROnPlateau implements LrScheduler {
  readonly name = 'ReduceLROnPlateau';
  readonly needsMetric = true;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLr: number;
  eps: number;
  /** The best metric so far (±Infinity before the first). */
  best: number;
  /** Steps since the last improvement (reset by a reduction and during cooldown). */
  numBadEpochs = 0;
  /** Steps of cooldown left. */
  cooldownCounter = 0;
  /** Steps taken. */
  lastEpoch = 0;
  #lastLr: number;

  constructor(readonly optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    const name = this.name;
    checkOptimizer(name, optimizer);
    const {
      mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8,
    } = readOptions(name, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    check(name, 'mode', mode, mode === 'min' || mode === 'max', "'min' or 'max'");
    check(name, 'factor', factor, isFiniteNumber(factor) && factor >= 0 && factor < 1, 'a number in [0, 1)');
    check(name, 'patience', patience, Number.isInteger(patience) && patience >= 0, 'an integer ≥ 0');
    check(name, 'threshold', threshold, isFiniteNumber(threshold) && threshold >= 0, 'a finite number ≥ 0');
    check(name, 'thresholdMode', thresholdMode, thresholdMode === 'rel' || thresholdMode === 'abs', "'rel' or 'abs'");
    check(name, 'cooldown', cooldown, Number.isInteger(cooldown) && cooldown >= 0, 'an integer ≥ 0');
    check(name, 'minLr', minLr, isFiniteNumber(minLr) && minLr >= 0, 'a finite number ≥ 0');
    check(name, 'eps', eps, isFiniteNumber(eps) && eps >= 0, 'a finite number ≥ 0');
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.eps = eps;
    this.best = this.#modeWorse;
    this.#lastLr = optimizer.lr;
  }

  get #modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  get lastLr(): number {
    return this.#lastLr;
  }

  /** Records this step's metric (e.g. the validation loss) and lowers the rate after a plateau. */
  step(metric?: number): void {
    if (typeof metric !== 'number') {
      throw new SimdnnError(`ReduceLROnPlateau.step: metric must be the monitored value (a number, e.g. the validation loss), got ${describe(metric)}`);
    }
    this.lastEpoch += 1;
    if (this.#isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad steps during cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      const oldLr = this.optimizer.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLr);
      if (oldLr - newLr > this.eps) setScheduledLr(this.optimizer, newLr);
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.#lastLr = this.optimizer.lr;
  }

  #isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  stateDict(): LrSchedulerState {
    return {
      scheduler: this.name, mode: this.mode, factor: this.factor, patience: this.patience, threshold: this.threshold,
      thresholdMode: this.thresholdMode, cooldown: this.cooldown, minLr: this.minLr, eps: this.eps,
      best: numberToJson(this.best), numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch, lastLr: this.#lastLr,
    };
  }

  loadStateDict(state: LrSchedulerState): void {
    const fields: StateField[] = [
      ['mode', (v) => v === 'min' || v === 'max', "'min' or 'max'"], numberField('factor'), integerField('patience'), numberField('threshold'),
      ['thresholdMode', (v) => v === 'rel' || v === 'abs', "'rel' or 'abs'"], integerField('cooldown'), numberField('minLr'), numberField('eps'),
      ['best', (v) => numberFromJson(v) !== undefined, "a number, 'Infinity' or '-Infinity'"], integerField('numBadEpochs'),
      integerField('cooldownCounter'), integerField('lastEpoch'), numberField('lastLr'),
    ];
    checkState(this.name, state, fields);
    this.mode = state.mode as 'min' | 'max';
    this.factor = state.factor as number;
    this.patience = state.patience as number;
    this.threshold = state.threshold as number;
    this.thresholdMode = state.thresholdMode as 'rel' | 'abs';
    this.cooldown = state.cooldown as number;
    this.minLr = state.minLr as number;
    this.eps = state.eps as number;
    this.best = numberFromJson(state.best)!;
    this.numBadEpochs = state.numBadEpochs as number;
    this.cooldownCounter = state.cooldownCounter as number;
    this.lastEpoch = state.lastEpoch as number;
    this.#lastLr = state.lastLr as number;
  }
}

// StepLR, MultiStepLR, ExponentialLR and CosineAnnealingLR: PyTorch 1.13's chainable (recursive)
// forms, operation for operation, so the sequences are PyTorch's to the last bit or so (cos is
// fdlibm's, in exact arithmetic; see src/exact-math.ts).
import { PI, cos, power } from '../../exact-math.js';
import type { Optimizer } from '../optimizer.js';
import { EpochScheduler, check, isFiniteNumber, isPositiveInteger, numberField, readOptions, type StateField } from './base.js';
import type { LrSchedulerState } from './scheduler.js';

/** Options of `StepLR`. */
export interface StepLROptions {
  /** The period of the decay in steps (required, a positive integer). */
  stepSize: number;
  /** The factor the rate is multiplied by every `stepSize` steps (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies the learning rate by `gamma` every `stepSize` steps (PyTorch's `StepLR`): with
 * lr = 0.05, stepSize 30 and gamma 0.1, epochs 0–29 use 0.05, 30–59 use 0.005 …
 *
 * ```ts
 * const scheduler = new sn.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { trainOneEpoch(); scheduler.step(); }
 * ```
 */
export class StepLR extends EpochScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super('StepLR', optimizer);
    const { stepSize, gamma = 0.1 } = readOptions('StepLR', options, ['stepSize', 'gamma'], true);
    check('StepLR', 'stepSize', stepSize, isPositiveInteger(stepSize), 'a positive integer');
    check('StepLR', 'gamma', gamma, isFiniteNumber(gamma), 'a finite number');
    this.stepSize = stepSize!;
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number {
    const lr = this.optimizer.lr;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lr;
    return lr * this.gamma;
  }

  protected get settings(): LrSchedulerState {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }
  protected get settingFields(): readonly StateField[] {
    return [['stepSize', isPositiveInteger, 'a positive integer'], numberField('gamma')];
  }
  protected loadSettings(state: LrSchedulerState): void {
    this.stepSize = state.stepSize as number;
    this.gamma = state.gamma as number;
  }
}

/** Options of `MultiStepLR`. */
export interface MultiStepLROptions {
  /** The steps at which the rate decays (required; integers ≥ 0; a repeated milestone decays twice). */
  milestones: readonly number[];
  /** The decay factor (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies the learning rate by `gamma` at each milestone (PyTorch's `MultiStepLR`): with
 * milestones [30, 80], epochs 0–29 use lr, 30–79 lr·γ, from 80 on lr·γ².
 */
export class MultiStepLR extends EpochScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super('MultiStepLR', optimizer);
    const { milestones, gamma = 0.1 } = readOptions('MultiStepLR', options, ['milestones', 'gamma'], true);
    check('MultiStepLR', 'milestones', milestones, isMilestones(milestones), 'an array of integers ≥ 0');
    check('MultiStepLR', 'gamma', gamma, isFiniteNumber(gamma), 'a finite number');
    this.milestones = [...milestones!].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected computeLr(): number {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const lr = this.optimizer.lr;
    return count === 0 ? lr : lr * power(this.gamma, count);
  }

  protected get settings(): LrSchedulerState {
    return { milestones: this.milestones, gamma: this.gamma };
  }
  protected get settingFields(): readonly StateField[] {
    return [['milestones', isMilestones, 'an array of integers ≥ 0'], numberField('gamma')];
  }
  protected loadSettings(state: LrSchedulerState): void {
    this.milestones = [...(state.milestones as number[])].sort((a, b) => a - b);
    this.gamma = state.gamma as number;
  }
}

function isMilestones(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((m) => Number.isInteger(m) && m >= 0);
}

/** Options of `ExponentialLR`. */
export interface ExponentialLROptions {
  /** The factor the rate is multiplied by at every step (required). */
  gamma: number;
}

/** Multiplies the learning rate by `gamma` at every step (PyTorch's `ExponentialLR`). */
export class ExponentialLR extends EpochScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer);
    const { gamma } = readOptions('ExponentialLR', options, ['gamma'], true);
    check('ExponentialLR', 'gamma', gamma, isFiniteNumber(gamma), 'a finite number');
    this.gamma = gamma!;
    this.initialStep();
  }

  protected computeLr(): number {
    const lr = this.optimizer.lr;
    return this.lastEpoch === 0 ? lr : lr * this.gamma;
  }

  protected get settings(): LrSchedulerState {
    return { gamma: this.gamma };
  }
  protected get settingFields(): readonly StateField[] {
    return [numberField('gamma')];
  }
  protected loadSettings(state: LrSchedulerState): void {
    this.gamma = state.gamma as number;
  }
}

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  /** Steps of one half cosine period, from the initial rate down to etaMin (required, > 0). */
  tMax: number;
  /** The lowest rate (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing (PyTorch's `CosineAnnealingLR`, SGDR without restarts): from the initial rate
 * η_max down to `etaMin` over `tMax` steps, η_t = η_min + (η_max − η_min)(1 + cos(π·t/tMax))/2, then
 * back up over the next tMax steps, and so on. Computed as PyTorch 1.13 does, recursively from the
 * current rate: η_t = (1 + cos(πt/T)) / (1 + cos(π(t−1)/T)) · (η_{t−1} − η_min) + η_min, with
 * η_t = η_{t−1} + (η_max − η_min)(1 − cos(π/T))/2 where t − 1 − T is a multiple of 2T.
 */
export class CosineAnnealingLR extends EpochScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer);
    const { tMax, etaMin = 0 } = readOptions('CosineAnnealingLR', options, ['tMax', 'etaMin'], true);
    check('CosineAnnealingLR', 'tMax', tMax, isFiniteNumber(tMax) && tMax > 0, 'a positive number of steps');
    check('CosineAnnealingLR', 'etaMin', etaMin, isFiniteNumber(etaMin) && etaMin >= 0, 'a finite number ≥ 0');
    this.tMax = tMax!;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected computeLr(): number {
    const t = this.lastEpoch;
    const T = this.tMax;
    const lr = this.optimizer.lr;
    // (PyTorch's branch for a scheduler built with last_epoch > 0 cannot occur: simdnn resumes
    // through loadStateDict, never from a last_epoch option.)
    if (t === 0) return lr;
    if ((t - 1 - T) % (2 * T) === 0) return lr + (this.baseLr - this.etaMin) * (1 - cos(PI / T)) / 2;
    return (1 + cos(PI * t / T)) / (1 + cos(PI * (t - 1) / T)) * (lr - this.etaMin) + this.etaMin;
  }

  protected get settings(): LrSchedulerState {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }
  protected get settingFields(): readonly StateField[] {
    return [['tMax', (v) => isFiniteNumber(v) && v > 0, 'a positive number'], numberField('etaMin')];
  }
  protected loadSettings(state: LrSchedulerState): void {
    this.tMax = state.tMax as number;
    this.etaMin = state.etaMin as number;
  }
}

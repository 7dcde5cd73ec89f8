// OneCycleLR: PyTorch 1.13's 1cycle policy, with the momentum (SGD) or β1 (Adam, AdamW) cycled
// inversely to the learning rate.
import { SimdnnError } from '../../errors.js';
import { PI, cos } from '../../exact-math.js';
import { AdamBase } from '../adam.js';
import { Optimizer } from '../optimizer.js';
import { SGD } from '../sgd.js';
import {
  EpochScheduler, check, integerField, isFiniteNumber, isPositiveInteger, numberField, readOptions, setInitialLr, type StateField,
} from './base.js';
import type { LrSchedulerState } from './scheduler.js';

/** Options of `OneCycleLR`, PyTorch's in camelCase. Give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions {
  /** The peak learning rate (required, > 0). */
  maxLr: number;
  /** Steps (batches) in the cycle. */
  totalSteps?: number;
  /** With `stepsPerEpoch`, totalSteps = epochs · stepsPerEpoch. */
  epochs?: number;
  stepsPerEpoch?: number;
  /** The fraction of the cycle spent raising the rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the optimiser's momentum (SGD) or β1 (Adam, AdamW) between maxMomentum and baseMomentum (default true). */
  cycleMomentum?: boolean;
  /** The momentum at the peak rate (default 0.85). */
  baseMomentum?: number;
  /** The momentum at the start and the end (default 0.95). */
  maxMomentum?: number;
  /** The initial rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final rate is the initial rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases, the first two symmetric, as in the paper; default false (fastai's two phases). */
  threePhase?: boolean;
}

type Level = 'initialLr' | 'maxLr' | 'minLr';
type MomentumLevel = 'maxMomentum' | 'baseMomentum';
interface Phase { endStep: number; startLr: Level; endLr: Level; startMomentum: MomentumLevel; endMomentum: MomentumLevel }

/**
 * The 1cycle policy (Smith & Topin; PyTorch's `OneCycleLR`, stepped after every batch): the rate
 * rises from maxLr/divFactor to maxLr over the first pctStart of the steps, then falls to
 * maxLr/(divFactor·finalDivFactor); the momentum moves the other way between maxMomentum and
 * baseMomentum. The constructor sets the initial rate and momentum; `totalSteps` calls of `step()`
 * follow (one more is refused).
 *
 * ```ts
 * const opt = new sn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const scheduler = new sn.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 * // after each batch's opt.step(): scheduler.step();
 * ```
 */
export class OneCycleLR extends EpochScheduler {
  totalSteps: number;
  pctStart: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  threePhase: boolean;
  /** The rate and momentum levels (PyTorch keeps them in the param group). */
  initialLr: number;
  maxLr: number;
  minLr: number;
  maxMomentum: number;
  baseMomentum: number;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    const name = 'OneCycleLR';
    super(name, optimizer);
    const {
      maxLr, totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false,
    } = readOptions(name, options, ['maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase'], true);
    check(name, 'maxLr', maxLr, isFiniteNumber(maxLr) && maxLr > 0, 'a positive number');
    if (totalSteps !== undefined) {
      check(name, 'totalSteps', totalSteps, isPositiveInteger(totalSteps), 'a positive integer');
      this.totalSteps = totalSteps;
    } else if (epochs !== undefined || stepsPerEpoch !== undefined) {
      check(name, 'epochs', epochs, isPositiveInteger(epochs), 'a positive integer (or give totalSteps)');
      check(name, 'stepsPerEpoch', stepsPerEpoch, isPositiveInteger(stepsPerEpoch), 'a positive integer (or give totalSteps)');
      this.totalSteps = epochs! * stepsPerEpoch!;
    } else {
      throw new SimdnnError(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    }
    check(name, 'pctStart', pctStart, isFiniteNumber(pctStart) && pctStart >= 0 && pctStart <= 1, 'a number in [0, 1]');
    check(name, 'annealStrategy', annealStrategy, annealStrategy === 'cos' || annealStrategy === 'linear', "'cos' or 'linear'");
    check(name, 'cycleMomentum', cycleMomentum, typeof cycleMomentum === 'boolean', 'a boolean');
    check(name, 'threePhase', threePhase, typeof threePhase === 'boolean', 'a boolean');
    check(name, 'divFactor', divFactor, isFiniteNumber(divFactor) && divFactor > 0, 'a positive number');
    check(name, 'finalDivFactor', finalDivFactor, isFiniteNumber(finalDivFactor) && finalDivFactor > 0, 'a positive number');
    check(name, 'baseMomentum', baseMomentum, isFiniteNumber(baseMomentum) && baseMomentum >= 0 && baseMomentum < 1, 'a number in [0, 1)');
    check(name, 'maxMomentum', maxMomentum, isFiniteNumber(maxMomentum) && maxMomentum >= 0 && maxMomentum < 1, 'a number in [0, 1)');
    if (cycleMomentum && !(optimizer instanceof SGD) && !(optimizer instanceof AdamBase)) {
      throw new SimdnnError(`${name}: cycleMomentum needs an optimiser with momentum (SGD) or betas (Adam, AdamW); pass cycleMomentum: false`);
    }
    this.pctStart = pctStart;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.threePhase = threePhase;
    this.maxLr = maxLr!;
    this.initialLr = this.maxLr / divFactor;
    this.minLr = this.initialLr / finalDivFactor;
    this.maxMomentum = maxMomentum;
    this.baseMomentum = baseMomentum;
    setInitialLr(optimizer, this.initialLr);
    this.baseLr = this.initialLr;
    if (cycleMomentum) this.#setMomentum(maxMomentum);
    this.initialStep();
  }

  /** PyTorch's `_schedule_phases`. */
  get #phases(): Phase[] {
    const total = this.totalSteps;
    const pct = this.pctStart;
    if (this.threePhase) {
      return [
        { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pct * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ];
    }
    return [
      { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
      { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
    ];
  }

  override step(metric?: number): void {
    if (metric === undefined && this.lastEpoch + 1 > this.totalSteps) {
      throw new SimdnnError(`OneCycleLR.step: tried to step ${this.lastEpoch + 2} times; the schedule has totalSteps = ${this.totalSteps}`);
    }
    super.step(metric);
  }

  protected computeLr(): number {
    const stepNum = this.lastEpoch;
    const phases = this.#phases;
    let startStep = 0;
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i];
      if (stepNum <= phase.endStep || i === phases.length - 1) {
        const span = phase.endStep - startStep;
        if (span === 0) {
          throw new SimdnnError(`OneCycleLR: phase ${i + 1} of the schedule spans no steps (pctStart ${this.pctStart} of totalSteps ${this.totalSteps}); choose another pctStart`);
        }
        const pct = (stepNum - startStep) / span;
        if (this.cycleMomentum) this.#setMomentum(this.#anneal(this[phase.startMomentum], this[phase.endMomentum], pct));
        return this.#anneal(this[phase.startLr], this[phase.endLr], pct);
      }
      startStep = phase.endStep;
    }
    throw new Error('unreachable');
  }

  #anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = cos(PI * pct) + 1;
    return end + (start - end) / 2.0 * cosOut;
  }

  /** Sets SGD's momentum or Adam's β1 (PyTorch's `use_beta1`), unchecked as PyTorch writes its param group. */
  #setMomentum(value: number): void {
    const optimizer = this.optimizer;
    if (optimizer instanceof AdamBase) optimizer.setScheduledBeta1(value);
    else if (optimizer instanceof SGD) optimizer.setScheduledMomentum(value);
  }

  protected get settings(): LrSchedulerState {
    return {
      totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy, cycleMomentum: this.cycleMomentum,
      threePhase: this.threePhase, initialLr: this.initialLr, maxLr: this.maxLr, minLr: this.minLr,
      maxMomentum: this.maxMomentum, baseMomentum: this.baseMomentum,
    };
  }
  protected get settingFields(): readonly StateField[] {
    const bool = (key: string): StateField => [key, (v) => typeof v === 'boolean', 'a boolean'];
    return [
      integerField('totalSteps'), numberField('pctStart'), ['annealStrategy', (v) => v === 'cos' || v === 'linear', "'cos' or 'linear'"],
      bool('cycleMomentum'), bool('threePhase'), numberField('initialLr'), numberField('maxLr'), numberField('minLr'),
      numberField('maxMomentum'), numberField('baseMomentum'),
    ];
  }
  protected loadSettings(state: LrSchedulerState): void {
    this.totalSteps = state.totalSteps as number;
    this.pctStart = state.pctStart as number;
    this.annealStrategy = state.annealStrategy as 'cos' | 'linear';
    this.cycleMomentum = state.cycleMomentum as boolean;
    this.threePhase = state.threePhase as boolean;
    this.initialLr = state.initialLr as number;
    this.maxLr = state.maxLr as number;
    this.minLr = state.minLr as number;
    this.maxMomentum = state.maxMomentum as number;
    this.baseMomentum = state.baseMomentum as number;
    setInitialLr(this.optimizer, this.initialLr);
  }
}

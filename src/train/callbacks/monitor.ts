import { SimdnnError } from '../../errors.js';
import type { EpochLog } from '../fit.js';

/** Which way a monitored value improves: 'auto' is 'max' for names containing 'accuracy', else 'min'. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * The best value so far of one logged quantity (`EpochLog.metrics[name]`), as EarlyStopping and
 * ModelCheckpoint track it: a value improves on the best when it is lower (mode 'min') or higher
 * ('max') by more than `minDelta`.
 */
export class Monitor {
  readonly mode: 'min' | 'max';
  /** The best value so far (±Infinity before the first epoch). */
  best = NaN;

  constructor(readonly op: string, readonly name: string, mode: MonitorMode, readonly minDelta: number) {
    if (typeof name !== 'string' || name === '') throw new SimdnnError(`${op}: monitor must be the name of a logged value ('valLoss', 'valAccuracy', 'loss' …), got ${JSON.stringify(name)}`);
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new SimdnnError(`${op}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
    if (!(minDelta >= 0)) throw new SimdnnError(`${op}: minDelta must be a number ≥ 0, got ${minDelta}`);
    this.mode = mode === 'auto' ? (/accuracy/i.test(name) ? 'max' : 'min') : mode;
    this.reset();
  }

  /** Forgets the best value (a new run): the worst possible one. */
  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value of an epoch; the message lists the logged names when it is missing. */
  value(log: EpochLog): number {
    const value = log.metrics[this.name];
    if (value === undefined) {
      const hint = this.name.startsWith('val') ? '; values named val… need a validation set' : '';
      throw new SimdnnError(`${this.op}: monitor '${this.name}' is not among the logged values (${Object.keys(log.metrics).join(', ')})${hint}`);
    }
    return value;
  }

  /** Whether `value` improves on the best; if so it becomes the best. */
  improves(value: number): boolean {
    const better = this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (better) this.best = value;
    return better;
  }
}

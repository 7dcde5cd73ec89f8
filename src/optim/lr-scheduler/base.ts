// What the schedulers share: option checking, the optimiser's initial learning rate, PyTorch's
// _LRScheduler step (last_epoch, _step_count, get_lr's chainable forms) and JSON-safe state.
import { SimdnnError } from '../../errors.js';
import { Optimizer, setScheduledLr } from '../optimizer.js';
import type { JsonValue, LrScheduler, LrSchedulerState } from './scheduler.js';

/**
 * PyTorch's `param_group['initial_lr']`: the rate a first scheduler found on the optimiser (set once,
 * `setdefault`), shared by every later scheduler of it as its `base_lrs`. OneCycleLR overwrites it.
 */
const initialLrs = new WeakMap<Optimizer, number>();

export function initialLr(optimizer: Optimizer): number {
  if (!initialLrs.has(optimizer)) initialLrs.set(optimizer, optimizer.lr);
  return initialLrs.get(optimizer)!;
}

export function setInitialLr(optimizer: Optimizer, lr: number): void {
  initialLrs.set(optimizer, lr);
}

/** Throws unless `optimizer` is an sn.optim optimiser. */
export function checkOptimizer(name: string, optimizer: unknown): asserts optimizer is Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new SimdnnError(`${name}: the first argument must be an sn.optim optimiser (SGD, Adam, AdamW), got ${describe(optimizer)}`);
  }
}

/**
 * The options object, after checking it is one and names only `allowed` keys (a misspelt option
 * would otherwise be ignored silently).
 */
export function readOptions<T extends object>(name: string, options: T | undefined, allowed: readonly (keyof T & string)[], required = false): Partial<T> {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SimdnnError(`${name}: options must be an object (${allowed.join(', ')}), got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!(allowed as readonly string[]).includes(key)) {
      throw new SimdnnError(`${name}: unknown option '${key}'; the options are ${allowed.join(', ')}`);
    }
  }
  return options;
}

/** Throws a SimdnnError naming the scheduler, the option and the value unless `ok`. */
export function check(name: string, option: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) throw new SimdnnError(`${name}: ${option} must be ${expected}, got ${describe(value)}`);
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

export function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return value.constructor?.name ?? 'an object';
  return String(value);
}

/** A number as JSON can hold it: ±Infinity and NaN as strings. */
export function numberToJson(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

/** The inverse of `numberToJson`; undefined when `v` is neither. */
export function numberFromJson(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v === 'Infinity' || v === '-Infinity' || v === 'NaN') return Number(v);
  return undefined;
}

/** One field of a saved state: its key and a check that the value is acceptable. */
export type StateField = readonly [key: string, ok: (value: JsonValue | undefined) => boolean, expected: string];

export const numberField = (key: string): StateField => [key, (v) => typeof v === 'number' && Number.isFinite(v), 'a finite number'];
export const integerField = (key: string): StateField => [key, (v) => Number.isInteger(v), 'an integer'];

/**
 * Checks a saved state before anything changes: the scheduler's name, every field present and of
 * the right kind, no other key. All problems in one error.
 */
export function checkState(name: string, state: LrSchedulerState, fields: readonly StateField[]): void {
  const problems: string[] = [];
  if (typeof state !== 'object' || state === null) throw new SimdnnError(`${name}.loadStateDict: expected an object from stateDict(), got ${describe(state)}`);
  if (state.scheduler !== name) problems.push(`it was saved by ${describe(state.scheduler)}, not ${name}`);
  for (const [key, ok, expected] of fields) {
    if (!(key in state)) problems.push(`missing key ${key}`);
    else if (!ok(state[key])) problems.push(`${key} must be ${expected}, got ${describe(state[key])}`);
  }
  const known = new Set(['scheduler', ...fields.map(([key]) => key)]);
  for (const key of Object.keys(state)) if (!known.has(key)) problems.push(`unexpected key ${key}`);
  if (problems.length > 0) throw new SimdnnError(`${name}.loadStateDict: ${problems.join('; ')}`);
}

/**
 * PyTorch's _LRScheduler: `lastEpoch` counts steps from −1 (the constructor's own step makes it 0),
 * each step sets the optimiser's rate to `computeLr()`, which reads the current rate (the chainable
 * forms, so a rate changed by hand or by another scheduler is followed).
 */
export abstract class EpochScheduler implements LrScheduler {
  readonly needsMetric = false;
  /** PyTorch's `base_lrs[0]`: the optimiser's initial rate. */
  baseLr: number;
  /** Steps taken, the constructor's included; `lastEpoch` 0 after construction. PyTorch's `last_epoch`. */
  lastEpoch = -1;
  /** PyTorch's `_step_count`. */
  protected stepCount = 0;
  #lastLr = 0;

  protected constructor(readonly name: string, readonly optimizer: Optimizer) {
    checkOptimizer(name, optimizer);
    this.baseLr = initialLr(optimizer);
  }

  /** The constructor's step, once the subclass has its settings (PyTorch's `_initial_step`). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  get lastLr(): number {
    return this.#lastLr;
  }

  step(metric?: number): void {
    if (metric !== undefined) throw new SimdnnError(`${this.name}.step: takes no metric (only ReduceLROnPlateau does), got ${describe(metric)}`);
    this.stepCount += 1;
    this.lastEpoch += 1;
    setScheduledLr(this.optimizer, this.computeLr());
    this.#lastLr = this.optimizer.lr;
  }

  /** The rate for step `lastEpoch`, from the current one (PyTorch's `get_lr()`). */
  protected abstract computeLr(): number;

  /** The subclass's settings as saved (gamma, tMax …) and the checks that load them. */
  protected abstract get settings(): LrSchedulerState;
  protected abstract get settingFields(): readonly StateField[];
  protected abstract loadSettings(state: LrSchedulerState): void;

  stateDict(): LrSchedulerState {
    return { scheduler: this.name, lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLr: this.baseLr, lastLr: this.#lastLr, ...this.settings };
  }

  loadStateDict(state: LrSchedulerState): void {
    checkState(this.name, state, [integerField('lastEpoch'), integerField('stepCount'), numberField('baseLr'), numberField('lastLr'), ...this.settingFields]);
    this.lastEpoch = state.lastEpoch as number;
    this.stepCount = state.stepCount as number;
    this.baseLr = state.baseLr as number;
    this.#lastLr = state.lastLr as number;
    this.loadSettings(state);
  }
}

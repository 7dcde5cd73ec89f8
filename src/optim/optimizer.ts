import type { Storage } from '../backend/index.js';
import { SimdnnError, formatShape } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** One parameter's optimiser state: how many updates it had, and its buffers by PyTorch's names. */
export interface ParamState {
  step: number;
  buffers: Record<string, Storage>;
}

let writeLr: (optimizer: Optimizer, lr: number) => void;

/**
 * What every optimiser shares: the parameters it updates, a learning rate that may change between
 * steps, `zeroGrad()` and `step()`. One flat list of parameters, no parameter groups. Subclasses
 * write `update`, which changes one parameter in place through a fused backend primitive (no graph
 * is recorded); their state (`paramState`) lives in backend storage on the parameter's own backend,
 * and `stateDict()`/`loadStateDict()` save and restore it so training can resume exactly.
 */
export abstract class Optimizer {
  /** The tensors updated by `step()`, in the order given. */
  readonly params: readonly Tensor[];
  /** The optimiser's name in error messages. */
  readonly #op: string;
  #lr = 0;
  readonly #state: (ParamState | undefined)[] = [];

  protected constructor(op: string, params: Iterable<Tensor>, lr: unknown) {
    this.#op = op;
    this.params = checkParams(op, params);
    this.lr = lr as number;
  }

  static {
    writeLr = (optimizer, lr) => { optimizer.#lr = lr; };
  }

  /**
   * The learning rate used by the next `step()`; set it between steps to follow a schedule (or let a
   * `sn.optim.lrScheduler` scheduler set it). One value for every parameter: there are no groups.
   */
  get lr(): number {
    return this.#lr;
  }
  set lr(value: number) {
    checkOption(this.#op, 'lr', value, isNumber(value) && value >= 0, 'a number ≥ 0');
    this.#lr = value;
  }

  /** Drops every parameter's gradient (`grad = undefined`, PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    for (const param of this.params) {
      param.grad?.dispose(); // gradients belong to the autograd engine; free their memory now
      param.grad = undefined;
    }
  }

  /** Updates every parameter that has a gradient, in place; parameters whose grad is undefined are skipped. */
  step(): void {
    this.params.forEach((param, index) => {
      const grad = param.grad;
      if (grad === undefined) return;
      if (grad.backend !== param.backend || !sameShape(grad.shape, param.shape)) {
        throw new SimdnnError(`${this.#op}.step: params[${index}] of shape ${formatShape(param.shape)} on '${param.backend.name}' has a gradient of shape ${formatShape(grad.shape)} on '${grad.backend.name}'`);
      }
      this.update(param, grad, index);
    });
  }

  /** Applies one update to `param` (params[index]) from its gradient. */
  protected abstract update(param: Tensor, grad: Tensor, index: number): void;

  /** The names of the per-parameter buffers this optimiser keeps (PyTorch's: `exp_avg`, `momentum_buffer` …). */
  protected abstract get bufferNames(): readonly string[];

  /** params[index]'s state, made (zeroed, step 0) on first use. */
  protected paramState(index: number): ParamState {
    const param = this.params[index];
    return this.#state[index] ??= {
      step: 0,
      buffers: Object.fromEntries(this.bufferNames.map((name) => [name, param.backend.alloc(param.size)])),
    };
  }

  /**
   * The optimiser's state as named tensors, PyTorch's `state_dict()['state']` flattened for
   * safetensors: `state.<i>.step` (a 0-d tensor) and `state.<i>.<buffer>` (the parameter's shape)
   * for each parameter i that has been updated. Buffers are shared, not copied.
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.#state.forEach((state, i) => {
      if (!state) return;
      const param = this.params[i];
      out[`state.${i}.step`] = new Tensor(param.backend.fromValues([state.step]), [], param.backend);
      for (const [name, storage] of Object.entries(state.buffers)) out[`state.${i}.${name}`] = new Tensor(storage, param.shape, param.backend);
    });
    return out;
  }

  /**
   * Restores state saved by `stateDict()` (for the same parameter list). Every key is checked before
   * anything changes: unknown or malformed keys, parameters with a step but missing buffers, and
   * wrongly shaped buffers are all listed in one error.
   */
  loadStateDict(stateDict: Record<string, Tensor>): void {
    const problems: string[] = [];
    const steps = new Map<number, number>();
    for (const [key, t] of Object.entries(stateDict)) {
      const match = /^state\.(\d+)\.(.+)$/.exec(key);
      const index = match ? Number(match[1]) : -1;
      if (!match || index >= this.params.length || (match[2] !== 'step' && !this.bufferNames.includes(match[2]))) {
        problems.push(`unexpected key ${key}`);
      } else if (match[2] === 'step') {
        const step = t.size === 1 ? t.item() : NaN;
        if (!Number.isInteger(step) || step < 1) problems.push(`${key} must hold one positive integer`);
        else steps.set(index, step);
      } else if (!sameShape(t.shape, this.params[index].shape)) {
        problems.push(`${key}: expected ${formatShape(this.params[index].shape)}, got ${formatShape(t.shape)}`);
      }
    }
    for (const index of steps.keys()) {
      for (const name of this.bufferNames) if (!(`state.${index}.${name}` in stateDict)) problems.push(`missing key state.${index}.${name}`);
    }
    if (problems.length > 0) throw new SimdnnError(`${this.#op}.loadStateDict: ${problems.join('; ')}`);
    for (const [index, step] of steps) {
      const state = this.paramState(index);
      state.step = step;
      const backend = this.params[index].backend;
      for (const name of this.bufferNames) backend.write(state.buffers[name], stateDict[`state.${index}.${name}`].toFloat32Array());
    }
  }
}

/**
 * @internal Sets `optimizer.lr` without the ≥ 0 check, as PyTorch's schedulers write
 * `param_group['lr']`: OneCycleLR's linear annealing gives a negative rate after its last step.
 */
export function setScheduledLr(optimizer: Optimizer, lr: number): void {
  writeLr(optimizer, lr);
}

/** Throws a SimdnnError naming the optimiser, the option and the value unless `ok`. */
export function checkOption(op: string, option: string, value: unknown, ok: boolean, expected: string): void {
  if (!ok) throw new SimdnnError(`${op}: ${option} must be ${expected}, got ${describe(value)}`);
}

/** Whether `value` is a number other than NaN. */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** The parameter list as an array: non-empty, tensors only, each a leaf that requires grad, no repeats. */
function checkParams(op: string, params: Iterable<Tensor>): Tensor[] {
  if (params == null || typeof (params as Partial<Iterable<Tensor>>)[Symbol.iterator] !== 'function') {
    throw new SimdnnError(`${op}: params must be an iterable of tensors (e.g. model.parameters()), got ${describe(params)}`);
  }
  const list = [...params];
  if (list.length === 0) throw new SimdnnError(`${op}: params is an empty list; the optimiser needs at least one tensor to update`);
  const seen = new Set<Tensor>();
  list.forEach((param, i) => {
    if (!(param instanceof Tensor)) throw new SimdnnError(`${op}: params[${i}] is not a Tensor (got ${describe(param)})`);
    if (!param.requiresGrad) throw new SimdnnError(`${op}: params[${i}] of shape ${formatShape(param.shape)} does not require grad; set requiresGrad = true on it`);
    if (!param.isLeaf) throw new SimdnnError(`${op}: params[${i}] of shape ${formatShape(param.shape)} is not a leaf tensor (it was produced by ${param.gradFn?.name}); optimise leaves only`);
    if (seen.has(param)) throw new SimdnnError(`${op}: params[${i}] of shape ${formatShape(param.shape)} appears more than once in the list`);
    seen.add(param);
  });
  return list;
}

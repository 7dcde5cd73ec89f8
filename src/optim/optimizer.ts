import { SimdnnError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/**
 * What every optimiser shares: the parameters it updates, a learning rate that may change between
 * steps, `zeroGrad()` and `step()`. One flat list of parameters, no parameter groups. Subclasses
 * write `update`, which changes one parameter in place through a fused backend primitive (no graph
 * is recorded); their state lives in backend storage on the parameter's own backend.
 */
export abstract class Optimizer {
  /** The tensors updated by `step()`, in the order given. */
  readonly params: readonly Tensor[];
  /** The optimiser's name in error messages. */
  readonly #op: string;
  #lr = 0;

  protected constructor(op: string, params: Iterable<Tensor>, lr: unknown) {
    this.#op = op;
    this.params = checkParams(op, params);
    this.lr = lr as number;
  }

  /** The learning rate used by the next `step()`; set it between steps to follow a schedule. */
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
      if (grad.backend !== param.backend || grad.size !== param.size || grad.ndim !== param.ndim || grad.shape.some((d, i) => d !== param.shape[i])) {
        throw new SimdnnError(`${this.#op}.step: params[${index}] of shape ${formatShape(param.shape)} on '${param.backend.name}' has a gradient of shape ${formatShape(grad.shape)} on '${grad.backend.name}'`);
      }
      this.update(param, grad, index);
    });
  }

  /** Applies one update to `param` (params[index]) from its gradient. */
  protected abstract update(param: Tensor, grad: Tensor, index: number): void;
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

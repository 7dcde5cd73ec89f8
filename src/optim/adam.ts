import { power } from '../exact-math.js';
import type { Tensor } from '../tensor.js';
import { Optimizer, checkOption, isNumber } from './optimizer.js';

/** Options of `Adam` and `AdamW`, PyTorch's names in camelCase. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** Weight decay: an L2 penalty added to the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

/**
 * The shared implementation of Adam and AdamW (PyTorch 1.13's single-tensor update), which differ
 * only in how weight decay enters: added to the gradient (Adam, `decoupled = false`) or applied to
 * the parameter as p ← (1 − lr·wd)·p before the update (AdamW, `decoupled = true`).
 */
export abstract class AdamBase extends Optimizer {
  readonly #op: string;
  #beta1: number;
  #beta2: number;
  readonly #eps: number;
  readonly #weightDecay: number;
  readonly #amsgrad: boolean;
  readonly #decoupled: boolean;

  protected constructor(op: string, decoupled: boolean, params: Iterable<Tensor>, options: AdamOptions, defaultWeightDecay: number) {
    checkOption(op, 'options', options, typeof options === 'object' && options !== null, 'an object');
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = defaultWeightDecay, amsgrad = false } = options;
    super(op, params, lr);
    const inUnitInterval = (b: unknown) => isNumber(b) && b >= 0 && b < 1;
    checkOption(op, 'betas', betas, Array.isArray(betas) && betas.length === 2 && betas.every(inUnitInterval), 'two numbers in [0, 1)');
    checkOption(op, 'eps', eps, isNumber(eps) && eps >= 0, 'a number ≥ 0');
    checkOption(op, 'weightDecay', weightDecay, isNumber(weightDecay) && weightDecay >= 0, 'a number ≥ 0');
    checkOption(op, 'amsgrad', amsgrad, typeof amsgrad === 'boolean', 'a boolean');
    this.#op = op;
    [this.#beta1, this.#beta2] = betas;
    this.#eps = eps;
    this.#weightDecay = weightDecay;
    this.#amsgrad = amsgrad;
    this.#decoupled = decoupled;
  }

  /** The moment decay rates [β1, β2] of the next `step()`; OneCycleLR cycles β1. Each in [0, 1). */
  get betas(): readonly [number, number] {
    return [this.#beta1, this.#beta2];
  }
  set betas(value: readonly [number, number]) {
    checkOption(this.#op, 'betas', value, Array.isArray(value) && value.length === 2 && value.every((b: unknown) => isNumber(b) && b >= 0 && b < 1), 'two numbers in [0, 1)');
    [this.#beta1, this.#beta2] = value;
  }

  /**
   * @internal Sets β1 without the [0, 1) check, as PyTorch's OneCycleLR writes `group['betas']`
   * (linear annealing overshoots past its last step).
   */
  setScheduledBeta1(value: number): void {
    this.#beta1 = value;
  }

  protected get bufferNames(): readonly string[] {
    return this.#amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
  }

  protected update(param: Tensor, grad: Tensor, index: number): void {
    const backend = param.backend;
    const state = this.paramState(index);
    state.step += 1;
    const lr = this.lr;
    const wd = this.#weightDecay;
    backend.adamStep({
      param: param.storage, grad: grad.storage,
      expAvg: state.buffers.exp_avg, expAvgSq: state.buffers.exp_avg_sq, maxExpAvgSq: state.buffers.max_exp_avg_sq,
      beta1: this.#beta1, beta2: this.#beta2, eps: this.#eps,
      weightDecay: this.#decoupled ? 0 : wd,
      paramScale: this.#decoupled ? 1 - lr * wd : 1,
      stepSize: lr / (1 - power(this.#beta1, state.step)),
      biasCorrection2Sqrt: Math.sqrt(1 - power(this.#beta2, state.step)),
    });
  }
}

/**
 * Adam (Kingma & Ba) with PyTorch 1.13's update and bias corrections; weight decay is an L2 penalty
 * added to the gradient. One fused kernel per parameter.
 *
 * ```ts
 * const opt = new sn.optim.Adam(model.parameters(), { lr: 1e-3 });
 * ```
 */
export class Adam extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super('Adam', false, params, options, 0);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, p ← (1 − lr·weightDecay)·p before
 * each update; weightDecay defaults to 1e-2 as in PyTorch.
 */
export class AdamW extends AdamBase {
  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super('AdamW', true, params, options, 1e-2);
  }
}

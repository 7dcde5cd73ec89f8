import type { Storage } from '../backend/index.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { Optimizer, checkOption, isNumber } from './optimizer.js';

/** Options of `SGD`, PyTorch's names in camelCase. */
export interface SGDOptions {
  /** Learning rate (required, ≥ 0). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum?: number;
  /** Dampening of the gradient added to the momentum buffer (default 0). */
  dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g + weightDecay·p (default 0). */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch 1.13's update: d = g + weightDecay·p; with momentum the
 * buffer starts as d and then becomes momentum·b + (1 − dampening)·d, and d is replaced by b
 * (or d + momentum·b with Nesterov); p ← p − lr·d. One fused kernel per parameter.
 *
 * ```ts
 * const opt = new sn.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 * ```
 */
export class SGD extends Optimizer {
  #momentum: number;
  #usedMomentum: boolean;
  readonly #dampening: number;
  readonly #nesterov: boolean;
  readonly #weightDecay: number;

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    checkOption('SGD', 'options', options, typeof options === 'object' && options !== null, 'an object with at least lr');
    const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0 } = options;
    super('SGD', params, lr);
    checkOption('SGD', 'momentum', momentum, isNumber(momentum) && momentum >= 0, 'a number ≥ 0');
    checkOption('SGD', 'dampening', dampening, isNumber(dampening), 'a number');
    checkOption('SGD', 'weightDecay', weightDecay, isNumber(weightDecay) && weightDecay >= 0, 'a number ≥ 0');
    checkOption('SGD', 'nesterov', nesterov, typeof nesterov === 'boolean', 'a boolean');
    if (nesterov && (momentum === 0 || dampening !== 0)) {
      throw new SimdnnError(`SGD: nesterov = true needs momentum > 0 and dampening = 0, got momentum ${momentum} and dampening ${dampening}`);
    }
    this.#momentum = momentum;
    this.#usedMomentum = momentum !== 0;
    this.#dampening = dampening;
    this.#nesterov = nesterov;
    this.#weightDecay = weightDecay;
  }

  /**
   * The momentum factor of the next `step()`; OneCycleLR cycles it. Turned on after steps without
   * it, a parameter's momentum buffer starts from its next gradient, as in PyTorch.
   */
  get momentum(): number {
    return this.#momentum;
  }
  set momentum(value: number) {
    checkOption('SGD', 'momentum', value, isNumber(value) && value >= 0, 'a number ≥ 0');
    this.#momentum = value;
    if (value !== 0) this.#usedMomentum = true;
  }

  /** @internal Sets the momentum without the ≥ 0 check, as PyTorch's OneCycleLR writes `group['momentum']`. */
  setScheduledMomentum(value: number): void {
    this.#momentum = value;
    if (value !== 0) this.#usedMomentum = true;
  }

  protected get bufferNames(): readonly string[] {
    return this.#usedMomentum ? ['momentum_buffer'] : [];
  }

  protected update(param: Tensor, grad: Tensor, index: number): void {
    const state = this.paramState(index);
    state.step += 1;
    let momentumBuffer: Storage | undefined;
    let firstStep = false; // the momentum buffer starts as the gradient itself
    if (this.#momentum !== 0) {
      momentumBuffer = state.buffers.momentum_buffer;
      firstStep = state.step === 1 || momentumBuffer === undefined;
      if (momentumBuffer === undefined) momentumBuffer = state.buffers.momentum_buffer = param.backend.alloc(param.size);
    }
    param.backend.sgdStep({
      param: param.storage, grad: grad.storage, momentumBuffer, firstStep,
      lr: this.lr, momentum: this.#momentum, dampening: this.#dampening, weightDecay: this.#weightDecay, nesterov: this.#nesterov,
    });
  }
}

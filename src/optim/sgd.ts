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
  readonly #momentum: number;
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
    this.#dampening = dampening;
    this.#nesterov = nesterov;
    this.#weightDecay = weightDecay;
  }

  protected get bufferNames(): readonly string[] {
    return this.#momentum !== 0 ? ['momentum_buffer'] : [];
  }

  protected update(param: Tensor, grad: Tensor, index: number): void {
    const state = this.paramState(index);
    const firstStep = state.step === 0; // the momentum buffer starts as the gradient itself
    state.step += 1;
    const momentumBuffer: Storage | undefined = state.buffers.momentum_buffer;
    param.backend.sgdStep({
      param: param.storage, grad: grad.storage, momentumBuffer, firstStep,
      lr: this.lr, momentum: this.#momentum, dampening: this.#dampening, weightDecay: this.#weightDecay, nesterov: this.#nesterov,
    });
  }
}

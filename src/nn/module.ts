import { SimdnnError, formatShape } from '../errors.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** A model's state: parameters and buffers by their PyTorch names (`"0.weight"`, `"3.running_mean"`). */
export type StateDict = Record<string, Tensor>;

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Whether every key must match (default true); false loads the shared keys and reports the rest. */
  strict?: boolean;
}

/** The keys `Module.loadStateDict` did not match: the module's keys absent from the state dict, and the reverse. */
export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/**
 * The base of every layer and model, in PyTorch's shape: parameters, buffers and child modules are
 * registered by name (in order), so `namedParameters()` and `stateDict()` use PyTorch's names.
 */
export abstract class Module {
  /** True in training mode (dropout active, batch norm uses batch statistics); see `train()`/`eval()`. */
  training = true;
  readonly #parameters = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(x: Tensor): Tensor;

  /** Registers a trainable tensor under `name`; returns it with `requiresGrad` set. */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    tensor.requiresGrad = true;
    this.#parameters.set(name, tensor);
    return tensor;
  }

  /** Registers non-trainable state saved in the state dict (e.g. running statistics). */
  protected registerBuffer(name: string, tensor: Tensor): Tensor {
    this.#buffers.set(name, tensor);
    return tensor;
  }

  /** Registers a child module under `name`. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.#children.set(name, module);
    return module;
  }

  /** Child modules with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.#children];
  }

  /** Every trainable tensor with its dotted name, children included. */
  namedParameters(): [string, Tensor][] {
    return this.#collect((m) => m.#parameters);
  }

  /** Every trainable tensor, children included (pass this to an optimiser). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer with its dotted name, children included. */
  namedBuffers(): [string, Tensor][] {
    return this.#collect((m) => m.#buffers);
  }

  /** Parameters and buffers by name, as PyTorch's `state_dict()` (the tensors themselves, not copies). */
  stateDict(): StateDict {
    const entries = this.#collect((m) => new Map([...m.#parameters, ...m.#buffers]));
    return Object.fromEntries(entries);
  }

  /**
   * Copies values from `stateDict` into this module's parameters and buffers, in place (optimisers
   * keep working), and returns the keys that did not match, as PyTorch's `load_state_dict` does.
   * Strict (the default): every name must match, otherwise nothing is changed and the error lists
   * all missing, unexpected and wrongly shaped entries. With `{ strict: false }` the names both sides
   * share are loaded and the others are returned in `missingKeys` and `unexpectedKeys`; a shared name
   * with another shape is still an error that changes nothing.
   */
  loadStateDict(stateDict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const shared = Object.keys(own).filter((k) => k in stateDict);
    const mismatched = shared
      .filter((k) => !sameShape(own[k].shape, stateDict[k].shape))
      .map((k) => `${k}: expected ${formatShape(own[k].shape)}, got ${formatShape(stateDict[k].shape)}`);
    const problems = [
      strict && missingKeys.length > 0 ? `missing keys: ${missingKeys.join(', ')}` : '',
      strict && unexpectedKeys.length > 0 ? `unexpected keys: ${unexpectedKeys.join(', ')}` : '',
      mismatched.length > 0 ? `wrong shapes: ${mismatched.join('; ')}` : '',
    ].filter(Boolean);
    if (problems.length > 0) throw new SimdnnError(`loadStateDict: ${problems.join('. ')}`);
    for (const name of shared) {
      const target = own[name];
      target.backend.write(target.storage, stateDict[name].toFloat32Array());
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Sets training mode (`true`) or evaluation mode for this module and its children; returns this. */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.#children.values()) child.train(mode);
    return this;
  }

  /** Evaluation mode: dropout off, batch norm uses running statistics. Returns this. */
  eval(): this {
    return this.train(false);
  }

  #collect(own: (m: Module) => Map<string, Tensor>): [string, Tensor][] {
    const out: [string, Tensor][] = [...own(this)];
    for (const [childName, child] of this.#children) {
      for (const [name, t] of child.#collect(own)) out.push([`${childName}.${name}`, t]);
    }
    return out;
  }
}

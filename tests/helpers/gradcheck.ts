// Finite-difference gradient check for any differentiable op, on the ts backend.
//
// For inputs x₁…xₙ and a function y = fn(x₁…xₙ), the scalar loss is L = Σ y·r with fixed seeded
// random weights r (so every output element matters, with a different weight). The analytic
// gradient comes from `y.backward(r)`; the numeric one from central differences
// (L(x + h·eᵢ) − L(x − h·eᵢ)) / (x₊ − x₋), where the losses are summed in f64 and x₊, x₋ are the
// perturbed values after rounding to f32. Choose inputs away from kinks (relu at 0, ties of max).
import * as sn from '../../src/index.js';
import { tsBackend } from '../../src/backend/ts/index.js';
import { formatShape } from '../../src/errors.js';
import { Tensor } from '../../src/tensor.js';
import { expectClose, randomValues } from './data.js';

export interface GradcheckOptions {
  /** Indices of the inputs to check (default: all); the others are passed without requiresGrad. */
  wrt?: readonly number[];
  /** Perturbation h (default 1e-2: truncation error ~h², f32 rounding of L ~1e-7·|L|/h). */
  eps?: number;
  /** Absolute tolerance (default 1e-3). */
  atol?: number;
  /** Tolerance relative to |numeric| (default 1e-2). */
  rtol?: number;
  /** Seed of the loss weights r (default 1). */
  seed?: number;
  /** Check at most this many elements per input, spread evenly (default: all). */
  maxElements?: number;
  /** Names the check in failure messages. */
  name?: string;
}

/** An input: a tensor (any backend; copied to ts), or values with a shape. */
export type GradcheckInput = Tensor | { values: ArrayLike<number>; shape: readonly number[] };

/**
 * Throws, naming the input and element, unless backward() of `fn` agrees with central differences
 * for every checked element of every checked input. `fn` runs with the ts backend selected (tensors it
 * creates itself land there too); the previous backend is restored afterwards.
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly GradcheckInput[], options: GradcheckOptions = {}): void {
  const { eps = 1e-2, atol = 1e-3, rtol = 1e-2, seed = 1, maxElements = Infinity, name = 'gradcheck' } = options;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  const previous = sn.getBackend();
  sn.setBackend('ts');
  try {
    const values = inputs.map((x) => (x instanceof Tensor ? x.toFloat32Array() : Float32Array.from(x.values)));
    const shapes = inputs.map((x) => x.shape);
    const make = (data: Float32Array, i: number, grad: boolean): Tensor => {
      const t = new Tensor(tsBackend.fromValues(data), shapes[i], tsBackend);
      if (grad) t.requiresGrad = true;
      return t;
    };

    const leaves = values.map((v, i) => make(v, i, wrt.includes(i)));
    const y = fn(...leaves);
    const r = Float64Array.from(randomValues(y.size, seed));
    if (!y.requiresGrad) throw new Error(`${name}: the output does not depend on any checked input`);
    y.backward(new Tensor(tsBackend.fromValues(r), y.shape, tsBackend));

    const loss = (i: number, data: Float32Array): number => {
      const out = sn.noGrad(() => fn(...values.map((v, j) => make(j === i ? data : v, j, false)))).toFloat32Array();
      let sum = 0;
      for (let e = 0; e < out.length; e++) sum += out[e] * r[e];
      return sum;
    };

    for (const i of wrt) {
      const x = values[i];
      const analytic = leaves[i].grad?.toFloat32Array() ?? new Float32Array(x.length);
      const step = Math.max(1, Math.ceil(x.length / maxElements));
      for (let e = 0; e < x.length; e += step) {
        const plus = x.slice();
        const minus = x.slice();
        plus[e] = x[e] + eps;
        minus[e] = x[e] - eps;
        const numeric = (loss(i, plus) - loss(i, minus)) / (plus[e] - minus[e]);
        const diff = Math.abs(analytic[e] - numeric);
        if (!(diff <= atol + rtol * Math.abs(numeric))) {
          throw new Error(`${name}: input ${i} (shape ${formatShape(shapes[i])}) element ${e}: backward gives ${analytic[e]}, finite differences ${numeric} (diff ${diff})`);
        }
      }
    }
  } finally {
    sn.setBackend(previous);
  }
}

export interface CompareOptions {
  /** Indices of the inputs that require grad (default: all); gradients are compared for these. */
  wrt?: readonly number[];
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Tolerance relative to the ts value (default 1e-5). */
  rtol?: number;
  /** Seed of the backward weights r (default 1). */
  seed?: number;
  /** Names the comparison in failure messages. */
  name?: string;
}

/**
 * Runs `fn` on the wasm and on the ts backend with the same input values, calls backward with the
 * same seeded gradient, and throws unless outputs (shape and values) and input gradients agree
 * (NaN matches NaN). Returns the ts output values for further checks.
 */
export function compareBackends(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly GradcheckInput[], options: CompareOptions = {}): Float32Array {
  const { atol = 1e-6, rtol = 1e-5, seed = 1, name = 'compareBackends' } = options;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  const values = inputs.map((x) => (x instanceof Tensor ? x.toFloat32Array() : Float32Array.from(x.values)));
  const previous = sn.getBackend();
  const run = (backend: 'wasm' | 'ts') => {
    sn.setBackend(backend);
    const leaves = values.map((v, i) => {
      const t = sn.tensor(v, inputs[i].shape);
      if (wrt.includes(i)) t.requiresGrad = true;
      return t;
    });
    const y = fn(...leaves);
    if (y.requiresGrad) y.backward(sn.tensor(randomValues(y.size, seed), y.shape));
    return { shape: y.shape, y: y.toFloat32Array(), grads: leaves.map((t) => t.grad?.toFloat32Array()) };
  };
  try {
    const w = run('wasm');
    const t = run('ts');
    if (formatShape(w.shape) !== formatShape(t.shape)) throw new Error(`${name}: output shape ${formatShape(w.shape)} on wasm, ${formatShape(t.shape)} on ts`);
    const tolerance = (ref: ArrayLike<number>) => (i: number) => atol + rtol * Math.abs(ref[i]);
    expectClose(w.y, t.y, tolerance(t.y), `${name}: output (wasm vs ts)`);
    for (const i of wrt) {
      const gw = w.grads[i];
      const gt = t.grads[i];
      if (!gw || !gt) {
        if (gw || gt) throw new Error(`${name}: input ${i} has a gradient on only one backend`);
        continue;
      }
      expectClose(gw, gt, tolerance(gt), `${name}: gradient of input ${i} (wasm vs ts)`);
    }
    return t.y;
  } finally {
    sn.setBackend(previous);
  }
}

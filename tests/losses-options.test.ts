import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose, randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';
import fixture from './fixtures/losses.json';
import * as wasmMemory from '../bindings/memory.js';

afterEach(() => sn.setBackend('wasm'));

const backends = ['wasm', 'ts'] as const;
type Json = number | string;
const num = (v: Json) => (typeof v === 'number' ? v : Number(v));
const nums = (vs: Json[]) => vs.map(num);

interface Case {
  name: string;
  fn: string;
  options: Record<string, unknown>;
  inputs: Record<string, { shape: number[]; values: Json[]; grad: boolean }>;
  targets: number[] | null;
  r: Json[];
  output: { shape: number[]; values: Json[] };
  grads: Record<string, Json[]>;
}

/** expectClose, where equal values (infinities included) always pass. */
function expectNear(actual: ArrayLike<number>, expected: number[], tolerance: (i: number) => number, what: string): void {
  const same = Array.from(actual, (v, i) => (v === expected[i] ? 0 : v));
  expectClose(same, expected.map((v, i) => (actual[i] === v ? 0 : v)), tolerance, what);
}

/** The fixture's options with weights as tensors (nested lists keep their shape) or, alternately, plain arrays. */
function options(c: Case, asArrays: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(c.options)) {
    if (Array.isArray(value)) out[key] = asArrays && !Array.isArray(value[0]) ? value : sn.tensor(value as sn.NestedArray);
    else out[key] = value;
  }
  return out;
}

function run(c: Case, asArrays = false) {
  const leaves = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => {
    const t = sn.tensor(nums(v.values), v.shape);
    t.requiresGrad = v.grad;
    return [k, t];
  }));
  const fn = sn.F[c.fn as 'l1Loss'] as unknown as (...args: unknown[]) => sn.Tensor;
  const args: unknown[] = Object.values(leaves);
  if (c.targets) args.push(c.targets);
  args.push(options(c, asArrays));
  const y = fn(...args);
  y.backward(sn.tensor(nums(c.r), c.output.shape));
  return { y, leaves };
}

describe.each(backends)('losses on the %s backend match PyTorch 1.13 (values and gradients)', (backend) => {
  it.each((fixture.cases as unknown as Case[]).map((c) => [c.name, c] as const))('%s', (_, c) => {
    sn.setBackend(backend);
    const { y, leaves } = run(c, c.name.length % 2 === 0);
    expect(y.shape).toEqual(c.output.shape);
    const expected = nums(c.output.values);
    expectNear(y.toFloat32Array(), expected, (i) => 2e-5 * Math.abs(expected[i]) + 2e-6, 'output');
    for (const [name, grad] of Object.entries(c.grads)) {
      const g = nums(grad);
      // Relative to the largest gradient too: near-cancelling sums differ from PyTorch's in the f32 rounding of their terms.
      const scale = Math.max(...g.map(Math.abs).filter(Number.isFinite));
      expectNear(leaves[name].grad!.toFloat32Array(), g, (i) => 2e-5 * Math.abs(g[i]) + 1e-6 * scale + 1e-7, `gradient of ${name}`);
    }
  });
});

describe('cross-entropy with options', () => {
  it('the plain form is unchanged: the original kernel, bit for bit, and the general kernel agrees with it', () => {
    for (const backend of backends) {
      sn.setBackend(backend);
      const values = randomValues(5 * 9, 3).map((v) => 6 * v);
      const targets = [8, 0, 4, 4, 2];
      const plain = sn.tensor(values, [5, 9]);
      plain.requiresGrad = true;
      const loss = sn.F.crossEntropy(plain, targets);
      expect(loss.gradFn?.name).toBe('crossEntropy');
      loss.backward();
      const viaOptions = sn.tensor(values, [5, 9]);
      viaOptions.requiresGrad = true;
      const explicit = sn.F.crossEntropy(viaOptions, targets, { reduction: 'mean', labelSmoothing: 0, ignoreIndex: -100 });
      explicit.backward();
      expect(explicit.item()).toBe(loss.item());
      expect(viaOptions.grad!.toFloat32Array()).toEqual(plain.grad!.toFloat32Array());
      // the general kernel (weights all 1) gives the same value to rounding
      const general = sn.F.crossEntropy(sn.tensor(values, [5, 9]), targets, { weight: new Array(9).fill(1) }).item();
      expect(Math.abs(general - loss.item())).toBeLessThan(1e-6 * loss.item());
    }
  });

  it('sum and none agree with mean; ignored rows give 0 and no gradient', () => {
    for (const backend of backends) {
      sn.setBackend(backend);
      const x = sn.tensor(randomValues(12, 4), [4, 3]);
      x.requiresGrad = true;
      const targets = [2, -100, 0, 1];
      const rows = sn.F.crossEntropy(x, targets, { reduction: 'none', labelSmoothing: 0.1 }).toFloat32Array();
      expect(rows[1]).toBe(0);
      const sum = sn.F.crossEntropy(x, targets, { reduction: 'sum', labelSmoothing: 0.1 }).item();
      const mean = sn.F.crossEntropy(x, targets, { labelSmoothing: 0.1 });
      expect(sum).toBeCloseTo(rows[0] + rows[2] + rows[3], 5);
      expect(mean.item()).toBeCloseTo(sum / 3, 6);
      mean.backward();
      expect(Array.from(x.grad!.toFloat32Array().slice(3, 6))).toEqual([0, 0, 0]);
    }
  });

  it('the SIMD body and scalar tail agree with the ts backend at every width', () => {
    let seed = 50;
    for (const c of [1, 3, 4, 5, 8, 13, 64]) {
      const n = 3;
      const logits = { values: randomValues(n * c, seed++).map((v) => 5 * v), shape: [n, c] };
      const weight = Array.from(randomValues(c, seed++), (v) => v + 1.5);
      const targets = [c - 1, 0, Math.floor(c / 2)];
      compareBackends((x) => sn.F.crossEntropy(x, targets, { weight, labelSmoothing: 0.1, reduction: 'none' }), [logits], { name: `class c=${c}`, atol: 1e-5, rtol: 2e-5 });
      const probs = { values: randomValues(n * c, seed++).map((v) => (v + 1) / (2 * c)), shape: [n, c] };
      compareBackends((x, t) => sn.F.crossEntropy(x, t, { weight, labelSmoothing: 0.05 }), [logits, probs], { name: `prob c=${c}`, atol: 1e-5, rtol: 2e-5 });
    }
  });
});

describe('gradients agree with finite differences (ts backend)', () => {
  const x = { values: randomValues(20, 9).map((v) => 2 * v), shape: [4, 5] };
  const probs = { values: Array.from(randomValues(20, 10), (v) => (v + 1.2) / 11), shape: [4, 5] };
  const weight = [0.5, 1, 2, 1.5, 0.8];
  it('crossEntropy with weight, smoothing and an ignored row, every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      gradcheck((l) => sn.F.crossEntropy(l, [4, -100, 0, 2], { weight, labelSmoothing: 0.2, reduction }), [x], { name: `crossEntropy ${reduction}` });
    }
  });
  it('crossEntropy with probability targets, in both inputs', () => {
    gradcheck((l, t) => sn.F.crossEntropy(l, t, { weight, labelSmoothing: 0.1 }), [x, probs], { name: 'crossEntropy prob' });
  });
  it('nllLoss', () => {
    gradcheck((l) => sn.F.nllLoss(l, [1, 3, -100, 0], { weight }), [x], { name: 'nllLoss' });
  });
  it('binaryCrossEntropy, in both inputs', () => {
    const p = { values: Array.from(randomValues(20, 11), (v) => 0.5 + 0.4 * v), shape: [4, 5] };
    gradcheck((a, b) => sn.F.binaryCrossEntropy(a, b, { weight: sn.tensor(weight) }), [p, probs], { name: 'binaryCrossEntropy', eps: 1e-3 });
  });
  it('binaryCrossEntropyWithLogits with posWeight and weight, in both inputs', () => {
    for (const reduction of ['mean', 'none'] as const) {
      gradcheck((a, b) => sn.F.binaryCrossEntropyWithLogits(a, b, { posWeight: [2, 1, 0.5, 3, 1], weight: sn.tensor([[1], [2], [0.5], [1]]), reduction }), [x, probs], { name: `bceWithLogits ${reduction}` });
    }
  });
  it('l1Loss, smoothL1Loss, huberLoss and mseLoss, in both inputs (away from the kinks)', () => {
    const a = { values: Array.from({ length: 12 }, (_, i) => (i - 6) * 0.37 + 0.05), shape: [3, 4] };
    const b = { values: Array.from({ length: 12 }, (_, i) => ((i * 5) % 12) * 0.21 - 1), shape: [3, 4] };
    gradcheck((p, q) => sn.F.l1Loss(p, q, { reduction: 'sum' }), [a, b], { name: 'l1Loss', eps: 1e-3 });
    gradcheck((p, q) => sn.F.smoothL1Loss(p, q, { beta: 0.7 }), [a, b], { name: 'smoothL1Loss', eps: 1e-3 });
    gradcheck((p, q) => sn.F.huberLoss(p, q, { delta: 0.6, reduction: 'none' }), [a, b], { name: 'huberLoss', eps: 1e-3 });
    gradcheck((p, q) => sn.F.mseLoss(p, q, { reduction: 'sum' }), [a, b], { name: 'mseLoss', eps: 1e-3 });
  });
});

describe('elementwise losses: wasm agrees with ts at every length', () => {
  it.each([1, 3, 4, 7, 65])('length %i', (size) => {
    const a = { values: randomValues(size, size).map((v) => 3 * v), shape: [size] };
    const b = { values: randomValues(size, size + 100).map((v) => (v + 1) / 2), shape: [size] };
    const opts = { atol: 1e-6, rtol: 1e-5 };
    compareBackends((p, q) => sn.F.binaryCrossEntropyWithLogits(p, q, { posWeight: [2.5] }), [a, b], { ...opts, name: 'bceWithLogits' });
    compareBackends((p, q) => sn.F.binaryCrossEntropyWithLogits(p, q, { reduction: 'none' }), [a, b], { ...opts, name: 'bceWithLogits none' });
    compareBackends((p, q) => sn.F.binaryCrossEntropy(sn.F.sigmoid(p), q, { reduction: 'sum' }), [a, b], { ...opts, name: 'bce' });
    compareBackends((p, q) => sn.F.smoothL1Loss(p, q, { beta: 0.5 }), [a, b], { ...opts, name: 'smoothL1' });
    compareBackends((p, q) => sn.F.huberLoss(p, q, { delta: 0.5, reduction: 'none' }), [a, b], { ...opts, name: 'huber' });
    compareBackends((p, q) => sn.F.l1Loss(p, q), [a, b], { ...opts, name: 'l1' });
  });
});

describe('binaryCrossEntropyWithLogits is stable', () => {
  it.each(backends)('on %s: logits of ±100 give finite losses and gradients', (backend) => {
    sn.setBackend(backend);
    const x = sn.tensor([100, -100, 100, -100]);
    x.requiresGrad = true;
    const loss = sn.F.binaryCrossEntropyWithLogits(x, sn.tensor([1, 0, 0, 1]), { reduction: 'none' });
    expect(Array.from(loss.toFloat32Array())).toEqual([0, 0, 100, 100]);
    loss.sum().backward();
    const g = x.grad!.toFloat32Array();
    expect([g[0], g[2], g[3]]).toEqual([0, 1, -1]);
    expect(g[1]).toBeLessThan(1e-38); // σ(−100)
  });
});

describe('bad options give errors naming the option', () => {
  const logits = () => sn.tensor(randomValues(6, 1), [2, 3]);
  const cases: [string, () => unknown, string][] = [
    ['reduction', () => sn.F.crossEntropy(logits(), [0, 1], { reduction: 'avg' as never }), "crossEntropy: reduction must be 'mean', 'sum' or 'none', got 'avg'"],
    ['labelSmoothing', () => sn.F.crossEntropy(logits(), [0, 1], { labelSmoothing: 1.5 }), 'crossEntropy: labelSmoothing must be a number in [0, 1], got 1.5'],
    ['ignoreIndex', () => sn.F.crossEntropy(logits(), [0, 1], { ignoreIndex: 0.5 }), 'crossEntropy: ignoreIndex must be an integer, got 0.5'],
    ['unknown', () => sn.F.crossEntropy(logits(), [0, 1], { label_smoothing: 0.1 } as never), "crossEntropy: unknown option 'label_smoothing'; the options are weight, labelSmoothing, ignoreIndex, reduction"],
    ['weight length', () => sn.F.crossEntropy(logits(), [0, 1], { weight: [1, 2] }), 'crossEntropy: weight must hold one value per class (3), got 2 values'],
    ['weight type', () => sn.F.crossEntropy(logits(), [0, 1], { weight: 'heavy' as never }), "crossEntropy: weight must be a tensor or an array of numbers, got 'heavy'"],
    ['target range', () => sn.F.crossEntropy(logits(), [0, 3]), 'crossEntropy: target at index 1 is 3, not a class index in [0, 3) for logits of shape [2, 3] (nor ignoreIndex -100)'],
    ['probability shape', () => sn.F.crossEntropy(logits(), sn.zeros([2, 4])), "crossEntropy: targets of shape [2, 4] do not match logits of shape [2, 3] (expected [2]); probability targets have the logits' shape"],
    ['probability ignoreIndex', () => sn.F.crossEntropy(logits(), sn.zeros([2, 3]), { ignoreIndex: 1 }), 'crossEntropy: ignoreIndex applies to class-index targets only'],
    ['nll reduction', () => sn.F.nllLoss(logits(), [0, 1], { reduction: 'max' as never }), "nllLoss: reduction must be 'mean', 'sum' or 'none', got 'max'"],
    ['bce range', () => sn.F.binaryCrossEntropy(sn.tensor([0.5, 1.5]), sn.tensor([1, 0])), 'binaryCrossEntropy: every input value must be a probability in [0, 1], got 1.5 at index 1'],
    ['bce shapes', () => sn.F.binaryCrossEntropy(sn.tensor([0.5, 0.5]), sn.tensor([1, 0, 1])), 'binaryCrossEntropy: input and target shapes differ: [2] and [3]'],
    ['posWeight shape', () => sn.F.binaryCrossEntropyWithLogits(logits(), sn.zeros([2, 3]), { posWeight: [1, 2] }), "binaryCrossEntropyWithLogits: posWeight of shape [2] does not broadcast to the input's shape [2, 3]"],
    ['weight shape', () => sn.F.binaryCrossEntropyWithLogits(logits(), sn.zeros([2, 3]), { weight: sn.zeros([4, 2, 3]) }), "binaryCrossEntropyWithLogits: weight of shape [4, 2, 3] does not broadcast to the input's shape [2, 3]"],
    ['pos_weight', () => sn.F.binaryCrossEntropyWithLogits(logits(), sn.zeros([2, 3]), { pos_weight: [1] } as never), "binaryCrossEntropyWithLogits: unknown option 'pos_weight'"],
    ['beta', () => sn.F.smoothL1Loss(sn.zeros([2]), sn.zeros([2]), { beta: -1 }), 'smoothL1Loss: beta must be a finite number ≥ 0, got -1'],
    ['delta', () => sn.F.huberLoss(sn.zeros([2]), sn.zeros([2]), { delta: 0 }), 'huberLoss: delta must be a finite number > 0, got 0'],
    ['l1 reduction', () => sn.F.l1Loss(sn.zeros([2]), sn.zeros([2]), { reduction: 'mean ' as never }), "l1Loss: reduction must be 'mean', 'sum' or 'none', got 'mean '"],
    ['l1 shapes', () => sn.F.l1Loss(sn.zeros([2]), sn.zeros([2, 1])), 'l1Loss: input and target shapes differ: [2] and [2, 1]'],
    ['mse reduction', () => sn.F.mseLoss(sn.zeros([2]), sn.zeros([2]), { reduction: 'total' as never }), "mseLoss: reduction must be 'mean', 'sum' or 'none', got 'total'"],
  ];
  it.each(cases)('%s', (_, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('the SIMD body and the scalar tail give the same bits (wasm)', () => {
  const n = 67; // 16 vectors of 4, then a tail of 3
  const a = Array.from(randomValues(n, 70), (v) => 4 * v);
  const b = Array.from(randomValues(n, 71), (v) => (v + 1) / 2);
  a[5] = b[5]; // d = 0
  const r = Array.from(randomValues(n, 72));
  /** Per-element losses and both gradients, for the whole vector and element by element. */
  function both(loss: (x: sn.Tensor, y: sn.Tensor) => sn.Tensor) {
    const run = (xs: number[], ys: number[], rs: number[]) => {
      const x = sn.tensor(xs);
      const y = sn.tensor(ys);
      x.requiresGrad = true;
      y.requiresGrad = true;
      const out = loss(x, y);
      out.backward(sn.tensor(rs));
      return [...out.toFloat32Array(), ...x.grad!.toFloat32Array(), ...y.grad!.toFloat32Array()];
    };
    const whole = run(a, b, r);
    const singles = a.map((_, i) => run([a[i]], [b[i]], [r[i]]));
    const byParts = [0, 1, 2].flatMap((part) => singles.map((s) => s[part]));
    return { whole, byParts };
  }
  const cases: [string, (x: sn.Tensor, y: sn.Tensor) => sn.Tensor][] = [
    ['binaryCrossEntropyWithLogits', (x, y) => sn.F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none' })],
    ['binaryCrossEntropyWithLogits with posWeight', (x, y) => sn.F.binaryCrossEntropyWithLogits(x, y, { reduction: 'none', posWeight: [2.5] })],
    ['l1Loss', (x, y) => sn.F.l1Loss(x, y, { reduction: 'none' })],
    ['smoothL1Loss', (x, y) => sn.F.smoothL1Loss(x, y, { reduction: 'none', beta: 0.4 })],
    ['smoothL1Loss, beta 0', (x, y) => sn.F.smoothL1Loss(x, y, { reduction: 'none', beta: 0 })],
    ['huberLoss', (x, y) => sn.F.huberLoss(x, y, { reduction: 'none', delta: 0.7 })],
    ['mseLoss', (x, y) => sn.F.mseLoss(x, y, { reduction: 'none' })],
  ];
  it.each(cases)('%s', (_, loss) => {
    sn.setBackend('wasm');
    const { whole, byParts } = both(loss);
    expect(whole).toEqual(byParts);
  });

  it('posWeight per class ([C]) gives the bits of the same weights expanded to the input\'s shape', () => {
    sn.setBackend('wasm');
    const x = sn.tensor(randomValues(6 * 7, 80).map((v) => 3 * v), [6, 7]);
    const y = sn.tensor(randomValues(6 * 7, 81).map((v) => (v + 1) / 2), [6, 7]);
    const pw = [0.5, 1, 2, 3, 4, 0.25, 1.5];
    const perClass = sn.F.binaryCrossEntropyWithLogits(x, y, { posWeight: pw, reduction: 'none' }).toFloat32Array();
    const expanded = sn.F.binaryCrossEntropyWithLogits(x, y, { posWeight: sn.tensor(Array.from({ length: 42 }, (_, i) => pw[i % 7]), [6, 7]), reduction: 'none' }).toFloat32Array();
    expect(perClass).toEqual(expanded);
  });
});

describe('wasm memory', () => {
  it('stays flat over 2,000 steps of every loss with options, with backward and under noGrad', () => {
    sn.setBackend('wasm');
    const { memoryBytes } = wasmMemory;
    const x = sn.tensor(randomValues(8 * 5, 90), [8, 5]);
    x.requiresGrad = true;
    const probs = sn.F.softmax(sn.tensor(randomValues(8 * 5, 91), [8, 5]), 1);
    const labels = [0, 1, 2, 3, 4, -100, 1, 2];
    const weight = [1, 2, 0.5, 1, 3];
    const rowWeight = sn.tensor([[1], [2], [1], [1], [1], [1], [1], [0.5]]);
    const logp = sn.noGrad(() => sn.F.logSoftmax(x, 1));
    logp.requiresGrad = true;
    const p = sn.noGrad(() => sn.F.sigmoid(x));
    p.requiresGrad = true;
    const posWeight = sn.tensor([[1, 2, 0.5, 1, 3]]);
    const losses: [sn.Tensor, () => sn.Tensor][] = [
      [x, () => sn.F.crossEntropy(x, labels, { weight, labelSmoothing: 0.1 })],
      [x, () => sn.F.crossEntropy(x, probs, { reduction: 'none' })],
      [logp, () => sn.F.nllLoss(logp, labels, { weight, reduction: 'sum' })],
      [logp, () => sn.F.nllLoss(logp, labels, { reduction: 'none' })],
      [x, () => sn.F.binaryCrossEntropyWithLogits(x, probs, { posWeight, weight: rowWeight })],
      [p, () => sn.F.binaryCrossEntropy(p, probs, { weight })],
      [x, () => sn.F.huberLoss(x, probs, { reduction: 'none' })],
    ];
    let afterWarmUp = 0;
    for (let step = 1; step <= 2000; step++) {
      for (const [input, loss] of losses) {
        const y = loss();
        const seed = y.size === 1 ? undefined : sn.ones(y.shape);
        y.backward(seed);
        seed?.dispose();
        input.grad!.dispose();
        input.grad = undefined;
        sn.noGrad(loss).dispose();
      }
      if (step === 200) afterWarmUp = memoryBytes();
    }
    expect(memoryBytes()).toBe(afterWarmUp);
  }, 120_000);
});

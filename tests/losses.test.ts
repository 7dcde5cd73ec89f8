import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { allocFloats, f32View, freeFloats } from '../bindings/memory.js';
import { expF32 } from '../bindings/loss.js';
import { expectClose, randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';
import fixture from './fixtures/loss_bn.json';

afterEach(() => sn.setBackend('wasm'));

const backends = ['wasm', 'ts'] as const;
/** Column counts that exercise the 4-wide SIMD body alone, the scalar tail alone, and both. */
const widths = [1, 3, 4, 7, 8, 17, 65];

/** |actual − expected| ≤ atol + rtol·|expected| everywhere. */
function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expectClose(actual, expected, (i) => atol + rtol * Math.abs(expected[i]), what);
}

/** Loss value and input gradients of `loss(...inputs)` with dL/dloss = gradOutput, on the current backend. */
function lossAndGrads(loss: (...xs: sn.Tensor[]) => sn.Tensor, inputs: { values: ArrayLike<number>; shape: number[] }[], gradOutput = 1) {
  const xs = inputs.map(({ values, shape }) => {
    const t = sn.tensor(Float32Array.from(values), shape);
    t.requiresGrad = true;
    return t;
  });
  const y = loss(...xs);
  y.backward(sn.tensor(gradOutput));
  return { value: y.item(), shape: y.shape, grads: xs.map((x) => x.grad!.toFloat32Array()) };
}

/** Seeded class indices in [0, c). */
function randomTargets(n: number, c: number, seed: number): number[] {
  return Array.from(randomValues(n, seed), (v) => Math.min(c - 1, Math.floor((v + 1) / 2 * c)));
}

describe.each(backends)('crossEntropy on the %s backend', (name) => {
  it('matches PyTorch on logits with rows far from zero (loss and gradient)', () => {
    sn.setBackend(name);
    const f = fixture.crossEntropy;
    const { value, shape, grads } = lossAndGrads((x) => sn.F.crossEntropy(x, f.targets), [{ values: f.logits, shape: f.shape }]);
    expect(shape).toEqual([]);
    expectAllClose([value], [f.loss], 'loss');
    expectAllClose(grads[0], f.gradLogits, 'dlogits');
  });

  it('gives log 2 for two equal logits and (softmax − onehot)/N as the gradient', () => {
    sn.setBackend(name);
    const { value, grads } = lossAndGrads((x) => sn.F.crossEntropy(x, [0, 1]), [{ values: [0, 0, 3, 3], shape: [2, 2] }]);
    expect(value).toBeCloseTo(Math.LN2, 6);
    expectAllClose(grads[0], [-0.25, 0.25, 0.25, -0.25], 'dlogits');
  });

  it('stays finite for logits of ±1000 (max subtraction)', () => {
    sn.setBackend(name);
    const logits = sn.tensor([[1000, 0, -1000], [0, 1000, -1000]]);
    expect(sn.F.crossEntropy(logits, [0, 0]).item()).toBeCloseTo(500, 3);
  });

  it('accepts targets as numbers, an Int32Array or a tensor of class indices', () => {
    sn.setBackend(name);
    const logits = sn.tensor(randomValues(12, 3), [4, 3]);
    const expected = sn.F.crossEntropy(logits, [2, 0, 1, 1]).item();
    expect(sn.F.crossEntropy(logits, Int32Array.of(2, 0, 1, 1)).item()).toBe(expected);
    expect(sn.F.crossEntropy(logits, sn.tensor([2, 0, 1, 1])).item()).toBe(expected);
  });

  it('scales the gradient by the upstream gradient', () => {
    sn.setBackend(name);
    const values = randomValues(15, 4);
    const one = lossAndGrads((x) => sn.F.crossEntropy(x, [1, 2, 4]), [{ values, shape: [3, 5] }]).grads[0];
    const scaled = lossAndGrads((x) => sn.F.crossEntropy(x, [1, 2, 4]), [{ values, shape: [3, 5] }], -2.5).grads[0];
    expectAllClose(scaled, one.map((g) => -2.5 * g), 'scaled dlogits');
  });
});

describe.each(backends)('multiMarginLoss on the %s backend', (name) => {
  it.each(fixture.multiMargin.map((f) => [f.p, f.margin, f] as const))('matches PyTorch with p = %i, margin = %f', (p, margin, f) => {
    sn.setBackend(name);
    const { value, grads } = lossAndGrads((x) => sn.F.multiMarginLoss(x, f.targets, { margin, p: p as 1 | 2 }), [{ values: f.scores, shape: f.shape }]);
    expectAllClose([value], [f.loss], 'loss');
    expectAllClose(grads[0], f.gradScores, 'dscores');
  });

  it('computes PyTorch documentation example: 0.325 for scores [0.1, 0.2, 0.4, 0.8] and target 3', () => {
    sn.setBackend(name);
    const { value, grads } = lossAndGrads((x) => sn.F.multiMarginLoss(x, [3]), [{ values: [0.1, 0.2, 0.4, 0.8], shape: [1, 4] }]);
    expect(value).toBeCloseTo(0.325, 6);
    expectAllClose(grads[0], [0.25, 0.25, 0.25, -0.75], 'dscores');
  });

  it('counts a NaN score of another class as no violation, as PyTorch does (cross-entropy gives NaN)', () => {
    sn.setBackend(name);
    const scores = sn.tensor([[NaN, 1, 0, 0, 0]]);
    expect(sn.F.multiMarginLoss(scores, [1]).item()).toBe(0);
    expect(sn.F.crossEntropy(scores, [1]).item()).toBeNaN();
  });
});

describe.each(backends)('mseLoss on the %s backend', (name) => {
  it('matches PyTorch (loss and gradients to both inputs)', () => {
    sn.setBackend(name);
    const f = fixture.mse;
    const { value, grads } = lossAndGrads((a, b) => sn.F.mseLoss(a, b), [{ values: f.a, shape: f.shape }, { values: f.b, shape: f.shape }]);
    expectAllClose([value], [f.loss], 'loss');
    expectAllClose(grads[0], f.gradA, 'da');
    expectAllClose(grads[1], f.gradB, 'db');
  });

  it('is the mean of squared differences', () => {
    sn.setBackend(name);
    expect(sn.F.mseLoss(sn.tensor([1, 2, 3, 4, 5]), sn.tensor([1, 0, 3, 1, 5])).item()).toBeCloseTo(13 / 5, 6);
  });

  it('gives a gradient only to the inputs that require one', () => {
    sn.setBackend(name);
    const a = sn.tensor([1, 2]);
    const b = sn.tensor([0, 0]);
    b.requiresGrad = true;
    sn.F.mseLoss(a, b).backward();
    expect(a.grad).toBeUndefined();
    expect(Array.from(b.grad!.toFloat32Array())).toEqual([-1, -2]);
  });
});

describe('wasm kernels agree with the ts backend', () => {
  /** Runs `loss` on both backends and compares the values and gradients. */
  function agree(what: string, loss: (...xs: sn.Tensor[]) => sn.Tensor, inputs: { values: ArrayLike<number>; shape: number[] }[]): void {
    sn.setBackend('ts');
    const ts = lossAndGrads(loss, inputs, 1.5);
    sn.setBackend('wasm');
    const wasm = lossAndGrads(loss, inputs, 1.5);
    expectAllClose([wasm.value], [ts.value], `${what} loss`, 1e-5, 1e-6);
    wasm.grads.forEach((g, i) => expectAllClose(g, ts.grads[i], `${what} gradient ${i}`, 2e-5, 1e-7));
  }

  it('for crossEntropy at every width, with the SIMD body and the scalar tail', () => {
    let seed = 1;
    for (const n of [1, 2, 5]) {
      for (const c of widths) {
        const values = randomValues(n * c, seed++).map((v) => v * 8);
        const targets = randomTargets(n, c, seed++);
        agree(`crossEntropy [${n}, ${c}]`, (x) => sn.F.crossEntropy(x, targets), [{ values, shape: [n, c] }]);
      }
    }
  });

  it('for multiMarginLoss at every width, p = 1 and 2', () => {
    let seed = 100;
    for (const p of [1, 2] as const) {
      for (const n of [1, 3]) {
        for (const c of widths) {
          const values = randomValues(n * c, seed++);
          const targets = randomTargets(n, c, seed++);
          agree(`multiMarginLoss p=${p} [${n}, ${c}]`, (x) => sn.F.multiMarginLoss(x, targets, { p, margin: 0.7 }), [{ values, shape: [n, c] }]);
        }
      }
    }
  });

  it('for mseLoss at every length', () => {
    let seed = 200;
    for (const size of [...widths, 1000]) {
      const inputs = [{ values: randomValues(size, seed++), shape: [size] }, { values: randomValues(size, seed++), shape: [size] }];
      agree(`mseLoss [${size}]`, (a, b) => sn.F.mseLoss(a, b), inputs);
    }
  });
});

describe('gradients agree with finite differences (ts backend)', () => {
  it('crossEntropy', () => {
    gradcheck((x) => sn.F.crossEntropy(x, [0, 4, 2]), [{ values: randomValues(15, 5).map((v) => 3 * v), shape: [3, 5] }], { name: 'crossEntropy' });
  });

  it('multiMarginLoss, p = 1 and 2 (inputs away from the hinge)', () => {
    // Scores on a grid of 0.25 with margin 0.1: every hinge argument is at least 0.05 from 0.
    const scores = { values: Array.from({ length: 12 }, (_, i) => ((i * 7) % 12) * 0.25), shape: [3, 4] };
    for (const p of [1, 2] as const) {
      gradcheck((x) => sn.F.multiMarginLoss(x, [1, 3, 0], { p, margin: 0.1 }), [scores], { name: `multiMarginLoss p=${p}`, eps: 1e-3 });
    }
  });

  it('mseLoss, in both inputs', () => {
    gradcheck((a, b) => sn.F.mseLoss(a, b), [{ values: randomValues(10, 6), shape: [2, 5] }, { values: randomValues(10, 7), shape: [2, 5] }], { name: 'mseLoss' });
  });
});

describe('the vectorised exp of the wasm loss kernels', () => {
  it('is within 3e-7 relative of Math.exp and gives the same bits in the SIMD body and the scalar tail', () => {
    const xs = Float32Array.from({ length: 4003 }, (_, i) => -87 + i * (175 / 4002));
    const n = xs.length;
    const x = allocFloats(n);
    const out = allocFloats(n);
    f32View(x, n).set(xs);
    expF32(out, x, n);
    const got = f32View(out, n).slice();
    expectClose(got, Array.from(xs, Math.exp), (i) => 3e-7 * Math.exp(xs[i]), 'exp');
    // The last three values took the scalar tail; the same values through the SIMD body agree bit for bit.
    f32View(x, 4).set([xs[n - 3], xs[n - 2], xs[n - 1], 0]);
    expF32(out, x, 4);
    expect(Array.from(f32View(out, 3))).toEqual(Array.from(got.subarray(n - 3)));
    f32View(x, 5).set([0, -Infinity, NaN, 100, -100]);
    expF32(out, x, 5);
    const special = f32View(out, 5).slice();
    expect(special[0]).toBe(1);
    expect(special[1]).toBeLessThan(1e-37);
    expect(special[2]).toBeNaN();
    expect(special[3]).toBeGreaterThan(1e38);
    expect(special[4]).toBeLessThan(1e-37);
    freeFloats(x);
    freeFloats(out);
  });
});

describe('bad input', () => {
  it('a target outside [0, C) names its index and value', () => {
    const logits = sn.zeros([3, 4]);
    expect(() => sn.F.crossEntropy(logits, [0, 4, 1])).toThrow('crossEntropy: target at index 1 is 4, not a class index in [0, 4) for logits of shape [3, 4]');
    expect(() => sn.F.crossEntropy(logits, [0, 1, -1])).toThrow('target at index 2 is -1');
    expect(() => sn.F.multiMarginLoss(logits, [0.5, 1, 1])).toThrow('multiMarginLoss: target at index 0 is 0.5');
  });

  it('a wrong number of targets names both shapes', () => {
    expect(() => sn.F.crossEntropy(sn.zeros([3, 4]), [0, 1])).toThrow('crossEntropy: 2 targets given for logits of shape [3, 4] (expected 3)');
    expect(() => sn.F.crossEntropy(sn.zeros([3, 4]), sn.zeros([3, 1]))).toThrow('crossEntropy: targets of shape [3, 1] do not match logits of shape [3, 4] (expected [3])');
    expect(() => sn.F.multiMarginLoss(sn.zeros([2, 4]), [1])).toThrow('multiMarginLoss: 1 targets given for scores of shape [2, 4] (expected 2)');
  });

  it('logits that are not [N, C] are refused with their shape', () => {
    expect(() => sn.F.crossEntropy(sn.zeros([2, 3, 4]), [0, 1])).toThrow('crossEntropy: logits must have shape [N, C], got [2, 3, 4]');
  });

  it('mseLoss of different shapes names both', () => {
    expect(() => sn.F.mseLoss(sn.zeros([2, 3]), sn.zeros([3, 2]))).toThrow('mseLoss: input and target shapes differ: [2, 3] and [3, 2]');
  });

  it('multiMarginLoss refuses p other than 1 or 2', () => {
    expect(() => sn.F.multiMarginLoss(sn.zeros([1, 2]), [0], { p: 3 as 1 })).toThrow('multiMarginLoss: p must be 1 or 2, got 3');
  });

  it('operands on different backends are refused', () => {
    sn.setBackend('ts');
    const a = sn.zeros([2]);
    sn.setBackend('wasm');
    expect(() => sn.F.mseLoss(a, sn.zeros([2]))).toThrow("mseLoss: input and target live on different backends ('ts' and 'wasm')");
    expect(() => sn.F.crossEntropy(sn.zeros([2, 2]), (sn.setBackend('ts'), sn.tensor([0, 1])))).toThrow('different backends');
  });
});

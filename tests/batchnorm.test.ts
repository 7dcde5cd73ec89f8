import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose, randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';
import fixture from './fixtures/loss_bn.json';

afterEach(() => sn.setBackend('wasm'));

/** |actual − expected| ≤ atol + rtol·|expected| everywhere. */
function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-6): void {
  expectClose(actual, expected, (i) => atol + rtol * Math.abs(expected[i]), what);
}

interface Case {
  shape: number[];
  x: ArrayLike<number>;
  weight?: ArrayLike<number>;
  bias?: ArrayLike<number>;
  runningMean: ArrayLike<number>;
  runningVar: ArrayLike<number>;
  /** dL/dy. */
  r: ArrayLike<number>;
  training: boolean;
  momentum?: number;
  eps?: number;
}

/** Runs batchNorm2d forward and backward (with dL/dy = r) on the current backend. */
function run(c: Case) {
  const leaf = (values: ArrayLike<number>, shape: number[]) => {
    const t = sn.tensor(Float32Array.from(values), shape);
    t.requiresGrad = true;
    return t;
  };
  const channels = [c.shape[1]];
  const x = leaf(c.x, c.shape);
  const weight = c.weight && leaf(c.weight, channels);
  const bias = c.bias && leaf(c.bias, channels);
  const runningMean = sn.tensor(Float32Array.from(c.runningMean));
  const runningVar = sn.tensor(Float32Array.from(c.runningVar));
  const y = sn.F.batchNorm2d(x, runningMean, runningVar, weight, bias, { training: c.training, momentum: c.momentum, eps: c.eps });
  y.backward(sn.tensor(Float32Array.from(c.r), c.shape));
  return {
    y: y.toFloat32Array(),
    runningMean: runningMean.toFloat32Array(),
    runningVar: runningVar.toFloat32Array(),
    gradX: x.grad!.toFloat32Array(),
    gradWeight: weight?.grad?.toFloat32Array(),
    gradBias: bias?.grad?.toFloat32Array(),
    stats: [runningMean, runningVar],
  };
}

/** A seeded case of the given shape, with affine parameters unless `affine` is false. */
function randomCase(shape: number[], training: boolean, seed: number, affine = true): Case {
  const size = shape.reduce((a, b) => a * b, 1);
  const c = shape[1];
  return {
    shape, training,
    x: randomValues(size, seed).map((v) => 3 * v + 1),
    weight: affine ? randomValues(c, seed + 1).map((v) => v + 1.5) : undefined,
    bias: affine ? randomValues(c, seed + 2) : undefined,
    runningMean: randomValues(c, seed + 3),
    runningVar: randomValues(c, seed + 4).map((v) => v + 1.5),
    r: randomValues(size, seed + 5),
    momentum: 0.2,
  };
}

describe.each(['wasm', 'ts'] as const)('batchNorm2d on the %s backend', (name) => {
  it('matches PyTorch in training: output, running statistics after the step, gradients', () => {
    sn.setBackend(name);
    const f = fixture.batchNormTrain;
    const out = run(f);
    expectAllClose(out.y, f.y, 'y');
    expectAllClose(out.runningMean, f.runningMeanAfter, 'running mean');
    expectAllClose(out.runningVar, f.runningVarAfter, 'running var');
    expectAllClose(out.gradX, f.gradX, 'dx', 1e-4, 1e-6);
    expectAllClose(out.gradWeight!, f.gradWeight, 'dweight');
    expectAllClose(out.gradBias!, f.gradBias, 'dbias');
  });

  it('matches PyTorch in eval: running statistics used and left unchanged', () => {
    sn.setBackend(name);
    const f = fixture.batchNormEval;
    const out = run(f);
    expectAllClose(out.y, f.y, 'y');
    expect(Array.from(out.runningMean)).toEqual(f.runningMean.map(Math.fround));
    expect(Array.from(out.runningVar)).toEqual(f.runningVar.map(Math.fround));
    expectAllClose(out.gradX, f.gradX, 'dx');
    expectAllClose(out.gradWeight!, f.gradWeight, 'dweight');
    expectAllClose(out.gradBias!, f.gradBias, 'dbias');
  });

  it('normalises each channel to mean 0 and variance 1 in training without affine parameters', () => {
    sn.setBackend(name);
    const [n, c, hw] = [3, 2, 10];
    const y = run(randomCase([n, c, 2, 5], true, 5, false)).y;
    for (let ch = 0; ch < c; ch++) {
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(...y.subarray((i * c + ch) * hw, (i * c + ch + 1) * hw));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 3);
    }
  });

  it('updates the running statistics in place with momentum and the unbiased variance, outside any graph', () => {
    sn.setBackend(name);
    // One channel holding 1, 2, 3, 4: mean 2.5, unbiased variance 5/3.
    const x = sn.tensor([1, 2, 3, 4], [2, 1, 1, 2]);
    x.requiresGrad = true;
    const runningMean = sn.tensor([1]);
    const runningVar = sn.tensor([2]);
    sn.F.batchNorm2d(x, runningMean, runningVar, undefined, undefined, { training: true, momentum: 0.25 });
    expect(runningMean.item()).toBeCloseTo(0.75 * 1 + 0.25 * 2.5, 6);
    expect(runningVar.item()).toBeCloseTo(0.75 * 2 + 0.25 * (5 / 3), 6);
    expect(runningMean.requiresGrad || runningVar.requiresGrad).toBe(false);
  });
});

describe('wasm kernels agree with the ts backend', () => {
  it('for every plane size (SIMD body and scalar tail), in training and eval, with and without affine parameters', () => {
    let seed = 1;
    for (const training of [true, false]) {
      for (const affine of [true, false]) {
        for (const [n, c, h, w] of [[2, 3, 1, 1], [1, 2, 1, 3], [3, 1, 2, 2], [2, 2, 1, 7], [2, 3, 4, 5], [1, 2, 5, 13]]) {
          const k = randomCase([n, c, h, w], training, seed++, affine);
          sn.setBackend('ts');
          const ts = run(k);
          sn.setBackend('wasm');
          const wasm = run(k);
          const what = `${training ? 'training' : 'eval'} ${affine ? 'affine' : 'plain'} [${n}, ${c}, ${h}, ${w}]`;
          expectAllClose(wasm.y, ts.y, `${what} y`);
          expectAllClose(wasm.runningMean, ts.runningMean, `${what} running mean`);
          expectAllClose(wasm.runningVar, ts.runningVar, `${what} running var`);
          expectAllClose(wasm.gradX, ts.gradX, `${what} dx`, 1e-4, 1e-5);
          if (affine) {
            expectAllClose(wasm.gradWeight!, ts.gradWeight!, `${what} dweight`, 1e-5, 1e-5);
            expectAllClose(wasm.gradBias!, ts.gradBias!, `${what} dbias`);
          }
        }
      }
    }
  });
});

describe('gradients agree with finite differences (ts backend)', () => {
  const shape = [2, 3, 2, 3];
  const input = (seed: number, n: number, scale = 1, offset = 0) => ({ values: randomValues(n, seed).map((v) => scale * v + offset), shape: n === 3 ? [3] : shape });
  const stats = () => [sn.tensor([0.1, -0.2, 0.3]), sn.tensor([0.8, 1.2, 1.5])] as const;

  it('in training (x, weight, bias)', () => {
    gradcheck((x, w, b) => sn.F.batchNorm2d(x, ...stats(), w, b, { training: true }), [input(1, 36, 2), input(2, 3, 0.5, 1), input(3, 3)], { name: 'batchNorm2d training' });
  });

  it('in eval (x, weight, bias)', () => {
    gradcheck((x, w, b) => sn.F.batchNorm2d(x, ...stats(), w, b), [input(4, 36, 2), input(5, 3, 0.5, 1), input(6, 3)], { name: 'batchNorm2d eval' });
  });
});

describe('bad input', () => {
  const stats = () => [sn.zeros([3]), sn.ones([3])] as const;

  it('an input that is not [N, C, H, W] is refused with its shape', () => {
    expect(() => sn.F.batchNorm2d(sn.zeros([2, 3, 4]), ...stats())).toThrow('batchNorm2d: input must have shape [N, C, H, W], got [2, 3, 4]');
  });

  it('per-channel tensors of the wrong size name their shape and the channel count', () => {
    expect(() => sn.F.batchNorm2d(sn.zeros([2, 3, 2, 2]), sn.zeros([4]), sn.ones([3])))
      .toThrow('batchNorm2d: runningMean of shape [4] does not match the 3 channels of input [2, 3, 2, 2] (expected [3])');
    expect(() => sn.F.batchNorm2d(sn.zeros([2, 3, 2, 2]), ...stats(), sn.ones([3, 1])))
      .toThrow('batchNorm2d: weight of shape [3, 1] does not match the 3 channels');
  });

  it('training with a single value per channel is refused as PyTorch does', () => {
    expect(() => sn.F.batchNorm2d(sn.zeros([1, 3, 1, 1]), ...stats(), undefined, undefined, { training: true }))
      .toThrow('batchNorm2d: expected more than 1 value per channel when training, got input of shape [1, 3, 1, 1]');
  });

  it('operands on different backends are refused', () => {
    sn.setBackend('ts');
    const bias = sn.zeros([3]);
    sn.setBackend('wasm');
    expect(() => sn.F.batchNorm2d(sn.zeros([2, 3, 2, 2]), ...stats(), undefined, bias))
      .toThrow("batchNorm2d: input and bias live on different backends ('wasm' and 'ts')");
  });
});

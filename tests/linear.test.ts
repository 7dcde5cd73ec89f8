import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const input = (shape: number[], seed: number) => ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed), shape });

describe('F.linear', () => {
  it('computes x·Wᵀ + b on hand-worked values, for a batch and for a single vector', () => {
    for (const backend of ['wasm', 'ts'] as const) {
      sn.setBackend(backend);
      const w = sn.tensor([[1, 0, -1], [2, 1, 0]]);
      const b = sn.tensor([0.5, -1]);
      expect(sn.F.linear(sn.tensor([[1, 2, 3], [0, 1, 0]]), w, b).toArray()).toEqual([[-1.5, 3], [0.5, 0]]);
      expect(sn.F.linear(sn.tensor([1, 2, 3]), w).toArray()).toEqual([-2, 4]);
    }
  });

  it('agrees on wasm and ts, values and all three gradients, for awkward sizes and leading dimensions', () => {
    let seed = 1;
    for (const [xShape, out] of [[[1, 1], 1], [[3, 7], 17], [[17, 63], 65], [[65, 3], 7], [[2, 3, 5], 4], [[7], 3]] as [number[], number][]) {
      const inF = xShape[xShape.length - 1];
      compareBackends((x, w, b) => sn.F.linear(x, w, b), [input(xShape, seed++), input([out, inF], seed++), input([out], seed++)], { name: `linear ${xShape} → ${out}`, atol: 1e-5 });
      compareBackends((x, w) => sn.F.linear(x, w), [input(xShape, seed++), input([out, inF], seed++)], { name: `linear ${xShape} → ${out} without bias`, atol: 1e-5 });
    }
  });

  it('has the gradients finite differences give: dX = dY·W, dW = dYᵀ·X, db = column sums of dY', () => {
    gradcheck((x, w, b) => sn.F.linear(x, w, b), [input([4, 3], 1), input([5, 3], 2), input([5], 3)], { name: 'linear 2-D' });
    gradcheck((x, w, b) => sn.F.linear(x, w, b), [input([2, 2, 3], 4), input([2, 3], 5), input([2], 6)], { name: 'linear 3-D' });
    gradcheck((x, w) => sn.F.linear(x, w), [input([3], 7), input([4, 3], 8)], { name: 'linear 1-D' });
  });

  it('equals matmul with the transposed weight plus the bias', () => {
    const x = sn.tensor(randomValues(6 * 5, 9), [6, 5]);
    const w = sn.tensor(randomValues(4 * 5, 10), [4, 5]);
    const b = sn.tensor(randomValues(4, 11));
    const wT = sn.tensor(Float32Array.from({ length: 20 }, (_, i) => w.toFloat32Array()[(i % 4) * 5 + Math.floor(i / 4)]), [5, 4]);
    const expected = sn.add(sn.matmul(x, wT), b).toFloat32Array();
    sn.F.linear(x, w, b).toFloat32Array().forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
});

describe('bad input', () => {
  it('names the op and the shapes that do not fit', () => {
    const w = sn.zeros([3, 4]);
    expect(() => sn.F.linear(sn.zeros([2, 5]), w)).toThrow('linear: input [2, 5] does not end in 4 features as weight [3, 4] expects');
    expect(() => sn.F.linear(sn.zeros([2, 4]), sn.zeros([4]))).toThrow('linear: weight must be 2-D [out, in], got [4]');
    expect(() => sn.F.linear(sn.zeros([2, 4]), w, sn.zeros([4]))).toThrow('linear: bias [4] does not match weight [3, 4] (expected [3])');
    expect(() => sn.F.linear(sn.tensor(1), w)).toThrow('linear: input [] does not end in 4 features');
  });
});

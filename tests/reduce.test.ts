import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

// Shapes whose [outer, n, inner] views cross the SIMD widths: inner 1 (contiguous rows), inner < 4
// (scalar lanes only), inner ≥ 4 with tails, and long contiguous sums (63, 65, 257).
const shapes: number[][] = [[1], [7], [65], [257], [3, 17], [17, 3], [2, 7, 5], [4, 63], [65, 6], [2, 3, 4, 5]];

function dimsOf(shape: number[]): (number | undefined)[] {
  return [undefined, ...shape.map((_, d) => d), -1];
}

describe('sum, mean and max agree on wasm and ts, values and gradients', () => {
  const reductions: [string, (x: Tensor, dim?: number) => Tensor][] = [
    ['sum', (x, dim) => x.sum(dim)],
    ['mean', (x, dim) => x.mean(dim)],
    ['max', (x, dim) => x.max(dim)],
    ['sum keepdim', (x, dim) => x.sum(dim, true)],
  ];
  it.each(reductions)('%s over every dimension of awkward shapes', (name, op) => {
    let seed = 1;
    for (const shape of shapes) {
      for (const dim of dimsOf(shape)) {
        const n = shape.reduce((a, b) => a * b, 1);
        compareBackends((x) => op(x, dim), [{ values: randomValues(n, seed++), shape }], { name: `${name} ${shape} dim ${dim}`, atol: 1e-5 });
      }
    }
  });

  it('argmax over every dimension gives identical indices', () => {
    let seed = 100;
    for (const shape of shapes) {
      for (const dim of dimsOf(shape)) {
        const n = shape.reduce((a, b) => a * b, 1);
        compareBackends((x) => x.argmax(dim), [{ values: randomValues(n, seed++), shape }], { name: `argmax ${shape} dim ${dim}`, atol: 0, rtol: 0 });
      }
    }
  });
});

describe('gradients of reductions (finite differences)', () => {
  it('sum and mean, over all values and along each dimension', () => {
    for (const dim of [undefined, 0, 1, -1]) {
      gradcheck((x) => x.sum(dim), [{ values: randomValues(12, 1), shape: [3, 4] }], { name: `sum ${dim}` });
      gradcheck((x) => x.mean(dim, true), [{ values: randomValues(24, 2), shape: [2, 3, 4] }], { name: `mean ${dim}` });
    }
  });

  it('max along a dimension and over all values (distinct values, so no ties)', () => {
    const values = Float32Array.from({ length: 24 }, (_, i) => ((i * 7) % 24) / 10 - 1);
    for (const dim of [undefined, 0, 1, 2, -2]) gradcheck((x) => x.max(dim), [{ values, shape: [2, 3, 4] }], { name: `max ${dim}` });
  });
});

describe.each(['wasm', 'ts'] as const)('reductions on the %s backend', (backend) => {
  it('match PyTorch on hand-worked values, with negative dims and keepdim', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, 5, 3], [4, 2, 6]]);
    expect(x.sum().toArray()).toBe(21);
    expect(x.sum().shape).toEqual([]);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1).toArray()).toEqual([9, 12]);
    expect(x.sum(1, true).toArray()).toEqual([[9], [12]]);
    expect(x.sum(undefined, true).shape).toEqual([1, 1]);
    expect(x.mean().item()).toBe(3.5);
    expect(x.mean(0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(x.max().item()).toBe(6);
    expect(x.max(1).toArray()).toEqual([5, 6]);
    expect(x.max(0, true).toArray()).toEqual([[4, 5, 6]]);
    expect(x.argmax(1).toArray()).toEqual([1, 2]);
    expect(x.argmax(0).toArray()).toEqual([1, 0, 1]);
    expect(x.argmax().item()).toBe(5);
    expect(sn.sum(sn.tensor(3)).item()).toBe(3);
  });

  it('send the gradient of max(dim) to the first maximum, and of max() evenly to all ties', () => {
    sn.setBackend(backend);
    const gradOf = (f: (x: Tensor) => Tensor) => {
      const x = sn.tensor([[2, 7, 7, 1, 7], [3, 3, 0, 0, 0]]);
      x.requiresGrad = true;
      f(x).backward();
      return x.grad?.toArray();
    };
    expect(gradOf((x) => x.max(1).sum())).toEqual([[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]]);
    expect(sn.tensor([[2, 7, 7, 1, 7], [3, 3, 0, 0, 0]]).argmax(1).toArray()).toEqual([1, 0]);
    expect(gradOf((x) => x.max())).toEqual([[0, 1 / 3, 1 / 3, 0, 1 / 3].map(Math.fround), [0, 0, 0, 0, 0]]);
  });

  it('treat NaN as the maximum (the first one for argmax) and propagate it through sum and mean', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, NaN, 3, NaN, 9, 1, 1, 1], [5, 4, 3, 2, 1, 0, -1, NaN]]);
    expect(x.max(1).toArray()).toEqual([NaN, NaN]);
    expect(x.argmax(1).toArray()).toEqual([1, 7]);
    expect(x.max().item()).toBeNaN();
    expect(x.sum(1).toArray()).toEqual([NaN, NaN]);
    const columns = sn.tensor([[1, 2, 3, 4, 5], [NaN, 0, 9, 4, NaN]]);
    expect(columns.max(0).toArray()).toEqual([NaN, 2, 9, 4, NaN]);
    expect(columns.argmax(0).toArray()).toEqual([1, 0, 1, 0, 1]);
  });

  it('find the first maximum and the first NaN in rows full of ties (SIMD lanes merged in index order)', () => {
    sn.setBackend(backend);
    const rng = randomValues(4000, 77);
    let r = 0;
    for (let n = 1; n <= 40; n++) {
      for (let trial = 0; trial < 3; trial++) {
        // Small integers: many ties between lanes; in the third trial two NaN at random places.
        const row = Array.from({ length: n }, () => Math.floor((rng[r++ % rng.length] + 1) * 2));
        if (trial === 2) for (let k = 0; k < 2; k++) row[Math.floor(((rng[r++ % rng.length] + 1) / 2) * n)] = NaN;
        const firstNaN = row.findIndex(Number.isNaN);
        const expected = firstNaN >= 0 ? firstNaN : row.indexOf(Math.max(...row));
        const x = sn.tensor([row, row]);
        expect(x.argmax(1).toArray(), `row ${row}`).toEqual([expected, expected]);
        expect(x.max(1).toArray(), `row ${row}`).toEqual([row[expected], row[expected]]);
        expect(sn.tensor(row).argmax().item(), `row ${row}`).toBe(expected);
      }
    }
  });

  it('give PyTorch results for empty tensors: sum 0, mean NaN', () => {
    sn.setBackend(backend);
    expect(sn.zeros([0, 3]).sum().item()).toBe(0);
    expect(sn.zeros([0, 3]).sum(0).toArray()).toEqual([0, 0, 0]);
    expect(sn.zeros([0]).mean().item()).toBeNaN();
  });
});

describe('bad input', () => {
  it('names the op, the dim and the shape when dim is out of range', () => {
    const x = sn.zeros([2, 3]);
    expect(() => x.sum(2)).toThrow('sum: dim 2 is out of range for a tensor of shape [2, 3] (expected -2 to 1)');
    expect(() => x.max(-3)).toThrow('max: dim -3 is out of range for a tensor of shape [2, 3] (expected -2 to 1)');
    expect(() => x.argmax(0.5)).toThrow('argmax: dim 0.5 is out of range');
    expect(() => sn.tensor(1).mean(0)).toThrow('mean: dim 0 is out of range for a tensor of shape [] (it has no dimensions)');
  });

  it('refuses max and argmax over an empty dimension', () => {
    expect(() => sn.zeros([2, 0]).max(1)).toThrow('max: cannot reduce over an empty dimension of shape [2, 0]');
    expect(() => sn.zeros([0]).argmax()).toThrow('argmax: cannot reduce over an empty dimension of shape [0]');
  });
});

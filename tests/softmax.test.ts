import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const ops = { softmax: sn.F.softmax, logSoftmax: sn.F.logSoftmax } as const;
const names = Object.keys(ops) as (keyof typeof ops)[];

/** log-softmax of one row in f64. */
function referenceLogSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - max - logSum);
}

describe.each(names)('%s', (name) => {
  const op = ops[name];

  it('agrees on wasm and ts along every dimension (contiguous rows and strided columns), values and gradients', () => {
    let seed = 1;
    for (const shape of [[1], [7], [65], [3, 17], [17, 3], [2, 5, 7], [4, 63], [2, 3, 4, 5]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      for (let dim = -1; dim < shape.length; dim++) {
        compareBackends((x) => op(x, dim), [{ values: randomValues(n, seed++).map((v) => v * 4), shape }], { name: `${name} ${shape} dim ${dim}`, atol: 1e-6, rtol: 2e-5 });
      }
    }
  });

  it('gives a column the same bits whether it runs in a SIMD lane or on the scalar path', () => {
    // Five equal columns along dim 0: columns 0–3 share one SIMD pass, column 4 is the scalar tail.
    const column = randomValues(19, 7).map((v) => v * 5);
    const x = sn.tensor(Float32Array.from({ length: 19 * 5 }, (_, i) => column[Math.floor(i / 5)]), [19, 5]);
    x.requiresGrad = true;
    const y = op(x, 0);
    y.backward(sn.tensor(Float32Array.from({ length: 19 * 5 }, (_, i) => column[18 - Math.floor(i / 5)]), [19, 5]));
    for (const values of [y.toArray(), x.grad?.toArray()] as number[][][]) {
      for (const row of values) expect(new Set(row).size).toBe(1);
    }
  });

  it('has the gradient that finite differences give, along the last and a middle dimension', () => {
    gradcheck((x) => op(x, -1), [{ values: randomValues(15, 3), shape: [3, 5] }], { name: `${name} last` });
    gradcheck((x) => op(x, 1), [{ values: randomValues(24, 4), shape: [2, 3, 4] }], { name: `${name} middle` });
  });
});

describe.each(['wasm', 'ts'] as const)('softmax on the %s backend', (backend) => {
  it('matches the f64 formula and sums to 1 along the chosen dimension', () => {
    sn.setBackend(backend);
    const rows = [[1, 2, 3], [-1, 0, 1], [0, 0, 0], [5, -5, 2.5]];
    const x = sn.tensor(rows);
    const log = sn.F.logSoftmax(x, 1).toArray() as number[][];
    const soft = sn.F.softmax(x, 1).toArray() as number[][];
    rows.forEach((row, r) => {
      referenceLogSoftmax(row).forEach((v, i) => {
        expect(log[r][i]).toBeCloseTo(v, 6);
        expect(soft[r][i]).toBeCloseTo(Math.exp(v), 6);
      });
      expect(soft[r].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    });
    const columns = sn.F.softmax(x, 0).sum(0).toFloat32Array();
    columns.forEach((v) => expect(v).toBeCloseTo(1, 6));
  });

  it('is numerically stable: huge logits neither overflow nor lose the differences', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1000, 1001, 1002], [-1000, -1001, -1002]]);
    const expected = referenceLogSoftmax([0, 1, 2]);
    const log = sn.F.logSoftmax(x, 1).toArray() as number[][];
    const soft = sn.F.softmax(x, -1).toArray() as number[][];
    expected.forEach((v, i) => {
      expect(log[0][i]).toBeCloseTo(v, 5);
      expect(log[1][2 - i]).toBeCloseTo(v, 5);
      expect(soft[0][i]).toBeCloseTo(Math.exp(v), 6);
    });
    // A logit far below the others: softmax underflows to 0, log-softmax stays finite.
    const far = sn.tensor([0, -200]);
    expect(sn.F.softmax(far, 0).toArray()).toEqual([1, 0]);
    expect(sn.F.logSoftmax(far, 0).toArray()).toEqual([0, -200]);
  });

  it('propagates NaN to the whole slice it belongs to, as PyTorch does', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, NaN, 2, 0, 1], [1, 2, 3, 4, 5]]);
    const soft = sn.F.softmax(x, 1).toArray() as number[][];
    expect(soft[0].every(Number.isNaN)).toBe(true);
    expect(soft[1].some(Number.isNaN)).toBe(false);
    expect((sn.F.logSoftmax(x, 0).toArray() as number[][]).map((row) => row[1])).toEqual([NaN, NaN]);
  });

  it('a one-element dimension gives softmax 1, logSoftmax 0, and zero gradient', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[3], [-2]]);
    x.requiresGrad = true;
    expect(sn.F.softmax(x, 1).toArray()).toEqual([[1], [1]]);
    const y = sn.F.logSoftmax(x, 1);
    expect(y.toArray()).toEqual([[0], [0]]);
    y.sum().backward();
    expect(x.grad?.toArray()).toEqual([[0], [0]]);
  });
});

describe('bad input', () => {
  it('names the op, the dim and the shape when dim is out of range', () => {
    expect(() => sn.F.softmax(sn.zeros([2, 3]), 2)).toThrow('softmax: dim 2 is out of range for a tensor of shape [2, 3] (expected -2 to 1)');
    expect(() => sn.F.logSoftmax(sn.zeros([4]), -2)).toThrow('logSoftmax: dim -2 is out of range for a tensor of shape [4] (expected -1 to 0)');
  });
});

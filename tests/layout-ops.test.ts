import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('permute, transpose, slice, narrow, cat and pad on the %s backend', (backend) => {
  it('permute and transpose reorder dimensions into a new dense tensor', () => {
    sn.setBackend(backend);
    const x = sn.arange(24).reshape(2, 3, 4);
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
    expect(x.permute([2, 0, 1]).toArray()).toEqual([
      [[0, 4, 8], [12, 16, 20]], [[1, 5, 9], [13, 17, 21]], [[2, 6, 10], [14, 18, 22]], [[3, 7, 11], [15, 19, 23]],
    ]);
    expect(sn.transpose(sn.tensor([[1, 2, 3], [4, 5, 6]]), 0, 1).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(x.transpose(-1, 0).toArray()).toEqual(x.permute(2, 1, 0).toArray());
    expect(x.permute(0, 1, 2).toArray()).toEqual(x.toArray());
    expect(sn.tensor(5).permute().item()).toBe(5);
  });

  it('slice takes start:end:step along one dimension, Python-style; narrow takes a length', () => {
    sn.setBackend(backend);
    const x = sn.arange(12).reshape(3, 4);
    expect(x.slice(1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(x.slice(1, 0, undefined, 2).toArray()).toEqual([[0, 2], [4, 6], [8, 10]]);
    expect(x.slice(0, -1).toArray()).toEqual([[8, 9, 10, 11]]);
    expect(x.slice(0, -10, 100).shape).toEqual([3, 4]);
    expect(x.slice(1, 3, 1).shape).toEqual([3, 0]);
    expect(x.narrow(0, 1, 2).toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(sn.narrow(x, -1, -2, 2).toArray()).toEqual([[2, 3], [6, 7], [10, 11]]);
  });

  it('cat joins along a dimension', () => {
    sn.setBackend(backend);
    const a = sn.tensor([[1, 2], [3, 4]]);
    const b = sn.tensor([[5], [6]]);
    expect(sn.cat([a, b], 1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(sn.cat([a, a]).toArray()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(sn.cat([a, sn.zeros([0, 2])], 0).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it('pad adds (before, after) pairs from the last dimension, with a value, and crops with negative amounts', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, 2], [3, 4]]);
    expect(sn.F.pad(x, [1, 0]).toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    expect(sn.F.pad(x, [0, 1, 1, 0], -1).toArray()).toEqual([[-1, -1, -1], [1, 2, -1], [3, 4, -1]]);
    expect(sn.F.pad(x, [-1, 1]).toArray()).toEqual([[2, 0], [4, 0]]);
    expect(sn.F.pad(x, [0, 0, -2, 0]).shape).toEqual([0, 2]);
  });

  it('pass gradients back to the places the values came from', () => {
    sn.setBackend(backend);
    const x = sn.arange(6).reshape(2, 3);
    x.requiresGrad = true;
    const weights = sn.tensor([[1, 10], [100, 1000]]);
    sn.mul(x.slice(1, 0, 3, 2), weights).sum().backward();
    expect(x.grad?.toArray()).toEqual([[1, 0, 10], [100, 0, 1000]]);
    const a = sn.ones([1, 2]);
    const b = sn.ones([2, 2]);
    a.requiresGrad = true;
    b.requiresGrad = true;
    sn.mul(sn.cat([a, b]), sn.tensor([[1, 2], [3, 4], [5, 6]])).sum().backward();
    expect(a.grad?.toArray()).toEqual([[1, 2]]);
    expect(b.grad?.toArray()).toEqual([[3, 4], [5, 6]]);
  });
});

// Awkward shapes and every op, against the ts backend and finite differences.
const cases: [string, number[], (x: Tensor) => Tensor][] = [
  ['permute [2, 3, 5, 7] → (0, 2, 3, 1)', [2, 3, 5, 7], (x) => x.permute(0, 2, 3, 1)],
  ['permute [3, 1, 17, 4] → (3, 2, 1, 0)', [3, 1, 17, 4], (x) => x.permute(3, 2, 1, 0)],
  ['transpose [63, 65]', [63, 65], (x) => x.transpose(0, 1)],
  ['slice [5, 17] dim 1 2:15:3', [5, 17], (x) => x.slice(1, 2, 15, 3)],
  ['narrow [4, 7, 3] dim 1', [4, 7, 3], (x) => x.narrow(1, 2, 4)],
  ['cat of three along dim 1', [2, 9, 3], (x) => sn.cat([x, sn.mul(x, 2).narrow(1, 0, 4), x.slice(1, 1)], 1)],
  ['cat along the last dim', [3, 5], (x) => sn.cat([x, x.narrow(1, 1, 2)], -1)],
  ['pad [2, 3, 7, 5] by [1, 2, 3, 0]', [2, 3, 7, 5], (x) => sn.F.pad(x, [1, 2, 3, 0], 0.5)],
  ['pad [3, 6, 4] cropping', [3, 6, 4], (x) => sn.F.pad(x, [-1, 2, 1, -2, 0, 1])],
];

describe.each(cases)('%s', (name, shape, op) => {
  const size = shape.reduce((a, b) => a * b, 1);
  it('gives the same values and gradients on wasm and ts', () => {
    compareBackends(op, [{ values: randomValues(size, 3), shape }], { name, atol: 0, rtol: 0 });
  });
  it('has the gradient that finite differences give', () => {
    gradcheck(op, [{ values: randomValues(size, 4), shape }], { name, maxElements: 40 });
  });
});

describe('bad arguments', () => {
  it('name the op and what is wrong', () => {
    const x = sn.zeros([2, 3]);
    expect(() => x.permute(0)).toThrow('permute: dims [0] must order each of the 2 dimensions of a tensor of shape [2, 3] exactly once');
    expect(() => x.permute(1, -1)).toThrow('exactly once');
    expect(() => x.transpose(0, 2)).toThrow('transpose: dim 2 is out of range for a tensor of shape [2, 3]');
    expect(() => x.narrow(1, 2, 2)).toThrow('narrow: start=2, length=2 do not lie inside dimension 1 (size 3) of a tensor of shape [2, 3]');
    expect(() => x.slice(0, 0, 2, 0)).toThrow('slice: step=0 must be a positive integer');
    expect(() => sn.cat([])).toThrow('cat: expected a non-empty array of tensors');
    expect(() => sn.cat([x, sn.zeros([2, 4])])).toThrow('cat: tensor 1 of shape [2, 4] does not match tensor 0 of shape [2, 3] outside dimension 0');
    expect(() => sn.F.pad(x, [1])).toThrow('pad: pads [1] must be an even number (at most 4) of integers');
    expect(() => sn.F.pad(x, [0, 0, -2, -1])).toThrow('pad: pads [0,0,-2,-1] would give a tensor of shape [-1, 3] from one of shape [2, 3]');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('reshape and flatten on the %s backend', (backend) => {
  it('reshape keeps row-major order, infers one -1, accepts a list or an array, and shares storage', () => {
    sn.setBackend(backend);
    const x = sn.arange(6);
    expect(x.reshape(2, 3).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(x.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(x.reshape(-1).shape).toEqual([6]);
    expect(x.reshape(1, 2, 1, 3).shape).toEqual([1, 2, 1, 3]);
    expect(sn.reshape(x, [6, 1]).shape).toEqual([6, 1]);
    expect(x.reshape(2, 3).storage).toBe(x.storage);
    expect(sn.tensor(5).reshape(1, 1).toArray()).toEqual([[5]]);
    expect(sn.zeros([0, 4]).reshape(-1, 2).shape).toEqual([0, 2]);
  });

  it('flatten merges startDim…endDim (negative counts from the end) and shares storage', () => {
    sn.setBackend(backend);
    const x = sn.zeros([2, 3, 4, 5]);
    expect(x.flatten().shape).toEqual([120]);
    expect(x.flatten(1).shape).toEqual([2, 60]);
    expect(x.flatten(1, 2).shape).toEqual([2, 12, 5]);
    expect(x.flatten(-2).shape).toEqual([2, 3, 20]);
    expect(sn.flatten(x, 3).shape).toEqual([2, 3, 4, 5]);
    expect(sn.tensor(7).flatten().shape).toEqual([1]);
    expect(x.flatten(1).storage).toBe(x.storage);
  });

  it('passes the gradient back in the input shape', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, 2], [3, 4], [5, 6]]);
    x.requiresGrad = true;
    sn.mul(x.reshape(2, 3), sn.tensor([1, 10, 100])).flatten().sum().backward();
    expect(x.grad?.shape).toEqual([3, 2]);
    expect(x.grad?.toArray()).toEqual([[1, 10], [100, 1], [10, 100]]);
  });
});

describe('a view at the root of backward', () => {
  it('leaves the caller\'s gradient intact over repeated backward calls', () => {
    const x = sn.tensor([1, 2, 3, 4, 5, 6]);
    x.requiresGrad = true;
    const g = sn.ones([2, 3]);
    x.reshape(2, 3).backward(g);
    sn.F.relu(x).reshape(3, 2).backward(g.reshape(3, 2));
    x.reshape(2, 3).backward(g);
    expect(g.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(x.grad?.toArray()).toEqual([3, 3, 3, 3, 3, 3]);
  });
});

describe('gradients (finite differences)', () => {
  it('reshape and flatten inside a computation', () => {
    const values = randomValues(24, 1);
    gradcheck((x) => sn.mul(x.reshape(4, -1), x.reshape(4, 6)), [{ values, shape: [2, 3, 4] }], { name: 'reshape' });
    gradcheck((x) => sn.mul(x.flatten(1), sn.tensor(randomValues(12, 2))), [{ values, shape: [2, 3, 4] }], { name: 'flatten' });
  });
});

describe('bad input', () => {
  it('reshape names both shapes when the sizes differ', () => {
    const x = sn.zeros([2, 3]);
    expect(() => x.reshape(4, 2)).toThrow('reshape: cannot reshape a tensor of shape [2, 3] (6 values) to [4, 2] (8 values)');
    expect(() => x.reshape(4, -1)).toThrow('reshape: cannot reshape a tensor of shape [2, 3] (6 values) to [4, -1]');
    expect(() => x.reshape(-1, -1)).toThrow('reshape: only one dimension can be -1, got [-1, -1]');
    expect(() => x.reshape(2, 1.5, 2)).toThrow('reshape: invalid shape [2, 1.5, 2]');
    expect(() => sn.zeros([0, 3]).reshape(0, -1)).toThrow('reshape: cannot reshape a tensor of shape [0, 3] (0 values) to [0, -1]');
  });

  it('flatten names the bad dims and the shape', () => {
    const x = sn.zeros([2, 3, 4]);
    expect(() => x.flatten(3)).toThrow('flatten: dim 3 is out of range for a tensor of shape [2, 3, 4] (expected -3 to 2)');
    expect(() => x.flatten(2, 1)).toThrow('flatten: startDim 2 comes after endDim 1 for shape [2, 3, 4]');
  });
});

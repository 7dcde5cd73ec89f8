import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('tensors on the %s backend', (name) => {
  it('builds tensors from flat values with a shape, and from nested arrays', () => {
    sn.setBackend(name);
    const t = sn.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(Array.from(t.toFloat32Array())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sn.tensor([[1, 2, 3], [4, 5, 6]]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(sn.tensor(7).shape).toEqual([]);
    expect(sn.tensor(7).item()).toBe(7);
  });

  it('makes zeros, ones, full, arange', () => {
    sn.setBackend(name);
    expect(Array.from(sn.zeros([2, 2]).toFloat32Array())).toEqual([0, 0, 0, 0]);
    expect(Array.from(sn.ones([3]).toFloat32Array())).toEqual([1, 1, 1]);
    expect(Array.from(sn.full([2], 2.5).toFloat32Array())).toEqual([2.5, 2.5]);
    expect(Array.from(sn.arange(4).toFloat32Array())).toEqual([0, 1, 2, 3]);
    expect(sn.zeros([0, 3]).size).toBe(0);
  });

  it('multiplies matrices, vectors and batches as torch.matmul does', () => {
    sn.setBackend(name);
    const a = sn.tensor([[1, 2], [3, 4], [5, 6]]);
    const b = sn.tensor([[1, 0, 2], [0, 1, 3]]);
    expect(sn.matmul(a, b).toArray()).toEqual([[1, 2, 8], [3, 4, 18], [5, 6, 28]]);
    expect(sn.matmul(sn.tensor([1, 2]), sn.tensor([3, 4])).toArray()).toBe(11);
    expect(sn.matmul(a, sn.tensor([1, 1])).toArray()).toEqual([3, 7, 11]);
    expect(sn.matmul(sn.tensor([1, 1, 1]), a).toArray()).toEqual([9, 12]);
    const batch = sn.tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(sn.matmul(batch, sn.tensor([[1, 0], [0, 2]])).toArray()).toEqual([[[1, 4], [3, 8]], [[5, 12], [7, 16]]]);
    expect(sn.matmul(sn.tensor([[1, 1]]), batch).shape).toEqual([2, 1, 2]);
  });

  it('draws the same randn values for the same seed', () => {
    sn.setBackend(name);
    sn.manualSeed(42);
    const first = sn.randn([1000]).toFloat32Array();
    sn.manualSeed(42);
    expect(sn.randn([1000]).toFloat32Array()).toEqual(first);
    const mean = first.reduce((s, v) => s + v, 0) / first.length;
    const variance = first.reduce((s, v) => s + (v - mean) ** 2, 0) / first.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    sn.manualSeed(1);
    const u = sn.rand([1000]).toFloat32Array();
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('backends agree', () => {
  it('randn from one seed gives the same values on wasm and ts', () => {
    sn.manualSeed(3);
    sn.setBackend('wasm');
    const w = sn.randn([257]).toFloat32Array();
    sn.manualSeed(3);
    sn.setBackend('ts');
    const t = sn.randn([257]).toFloat32Array();
    for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(t[i], 5);
  });

  it('setBackend names the backends it knows when given another', () => {
    expect(() => sn.setBackend('webgpu' as 'ts')).toThrow(/unknown backend 'webgpu'.*'wasm' or 'ts'/);
    expect(sn.getBackend()).toBe('wasm');
  });
});

describe('bad input', () => {
  it('matmul of incompatible shapes names both shapes', () => {
    expect(() => sn.matmul(sn.zeros([2, 3]), sn.zeros([4, 5]))).toThrow('matmul: shapes [2, 3] and [4, 5] cannot be multiplied (inner dimensions 3 and 4 differ)');
    expect(() => sn.matmul(sn.zeros([2, 2, 3]), sn.zeros([3, 3, 1]))).toThrow('shapes [2, 2, 3] and [3, 3, 1] cannot be multiplied (batch dimensions do not broadcast)');
    expect(() => sn.matmul(sn.tensor(1), sn.zeros([1]))).toThrow('matmul: both operands need at least one dimension, got [] and [1]');
  });

  it('tensor with a value count that does not match the shape names both', () => {
    expect(() => sn.tensor([1, 2, 3], [2, 2])).toThrow('tensor: 3 values given for shape [2, 2], which holds 4');
    expect(() => sn.tensor([[1, 2], [3]])).toThrow(/ragged nested array at values\[1\]/);
  });

  it('non-integer or negative dimensions are refused with the shape named', () => {
    expect(() => sn.zeros([2, -1])).toThrow('zeros: invalid shape [2, -1]: dimensions must be non-negative integers');
    expect(() => sn.randn([1.5])).toThrow('randn: invalid shape [1.5]');
    expect(() => sn.tensor([1, 2], [2.5])).toThrow('tensor: invalid shape [2.5]');
  });

  it('item() on a tensor with more than one value says how many it has', () => {
    expect(() => sn.zeros([2]).item()).toThrow('item: tensor of shape [2] has 2 values, not 1');
  });
});

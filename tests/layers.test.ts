// The layers of issue #10 as modules: construction, options, state dict keys, errors, gradients.
// Their numbers against PyTorch are in layers-pytorch.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

describe('BatchNorm1d', () => {
  it("has PyTorch's state dict keys and takes [N, C] and [N, C, L] input only", () => {
    const bn = new sn.nn.BatchNorm1d(3);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(bn.forward(sn.randn([4, 3])).shape).toEqual([4, 3]);
    expect(bn.forward(sn.randn([4, 3, 5])).shape).toEqual([4, 3, 5]);
    expect(bn.numBatchesTracked.item()).toBe(2);
    expect(() => bn.forward(sn.zeros([2, 3, 2, 2]))).toThrow('BatchNorm1d: expected 2-D [N, C] or 3-D [N, C, L] input, got [2, 3, 2, 2]');
    expect(() => new sn.nn.BatchNorm2d(3).forward(sn.zeros([2, 3]))).toThrow('BatchNorm2d: expected 4-D [N, C, H, W] input, got [2, 3]');
    expect(() => bn.forward(sn.zeros([1, 3]))).toThrow('batchNorm: expected more than 1 value per channel when training, got input of shape [1, 3]');
    expect(() => new sn.nn.BatchNorm1d(0)).toThrow('BatchNorm1d: numFeatures must be a positive integer, got 0');
  });

  it('F.batchNorm normalises 2-D and 3-D input with the gradient finite differences give, the same on wasm and ts', () => {
    for (const shape of [[5, 3], [2, 3, 7]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const fn = (x: sn.Tensor, w: sn.Tensor, b: sn.Tensor) => sn.F.batchNorm(x, sn.zeros([3]), sn.ones([3]), w, b, { training: true });
      const inputs = [{ values: randomValues(size, 1), shape }, { values: randomValues(3, 2), shape: [3] }, { values: randomValues(3, 3), shape: [3] }];
      gradcheck(fn, inputs, { name: `batchNorm ${shape}` });
      compareBackends(fn, inputs, { name: `batchNorm ${shape}`, atol: 1e-5 });
    }
    expect(() => sn.F.batchNorm(sn.zeros([3]), sn.zeros([3]), sn.ones([3]))).toThrow('batchNorm: input must have shape [N, C, …], got [3]');
  });
});

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

describe('ConvTranspose2d', () => {
  it('upsamples by its stride with PyTorch\'s output size, weight layout and state dict keys', () => {
    const layer = new sn.nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(layer.weight.shape).toEqual([4, 3, 3, 3]);
    expect(Object.keys(layer.stateDict())).toEqual(['weight', 'bias']);
    expect(layer.forward(sn.zeros([2, 4, 5, 7])).shape).toEqual([2, 6, 10, 14]);
    expect(new sn.nn.ConvTranspose2d(1, 1, [2, 3], { dilation: 2, bias: false }).forward(sn.zeros([1, 1, 4, 4])).shape).toEqual([1, 1, 6, 8]);
  });

  it('is the transpose of conv2d: <convT(x), y> = <x, conv2d(y)>', () => {
    const options = { stride: 2, padding: 1, dilation: 2 };
    const w = sn.tensor(randomValues(3 * 2 * 3 * 3, 1), [3, 2, 3, 3]);
    const x = sn.tensor(randomValues(2 * 3 * 4 * 5, 2), [2, 3, 4, 5]);
    const up = sn.F.convTranspose2d(x, w, undefined, options);
    const y = sn.tensor(randomValues(up.size, 3), up.shape);
    const left = sn.mul(up, y).sum().item();
    const right = sn.mul(x, sn.F.conv2d(y, w, undefined, options)).sum().item();
    expect(left).toBeCloseTo(right, 4);
  });

  const cases: [string, number[], number[], object][] = [
    ['3×3 stride 2, padding 1, outputPadding 1', [2, 3, 5, 4], [3, 4, 3, 3], { stride: 2, padding: 1, outputPadding: 1 }],
    ['depthwise 4×4 stride 2', [1, 4, 3, 3], [4, 1, 4, 4], { stride: 2, padding: 1, groups: 4 }],
    ['1×1 and 2×3 dilated, groups 2', [3, 4, 7, 2], [4, 3, 2, 3], { stride: [1, 3], dilation: 2, groups: 2 }],
  ];
  it.each(cases)('%s: gradients match finite differences and wasm matches ts', (name, xShape, wShape, options) => {
    const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
    const cout = wShape[1] * ((options as { groups?: number }).groups ?? 1);
    const inputs = [{ values: randomValues(size(xShape), 4), shape: xShape }, { values: randomValues(size(wShape), 5), shape: wShape }, { values: randomValues(cout, 6), shape: [cout] }];
    const fn = (x: sn.Tensor, w: sn.Tensor, b: sn.Tensor) => sn.F.convTranspose2d(x, w, b, options);
    gradcheck(fn, inputs, { name, maxElements: 30 });
    compareBackends(fn, inputs, { name, atol: 1e-5 });
  });

  it('names the wrong argument', () => {
    const x = sn.zeros([1, 4, 3, 3]);
    expect(() => sn.F.convTranspose2d(x, sn.zeros([3, 2, 3, 3]))).toThrow('convTranspose2d: the input has 4 channels but the weight expects 3 (weight.shape[0]) (input [1, 4, 3, 3], weight [3, 2, 3, 3])');
    expect(() => sn.F.convTranspose2d(x, sn.zeros([4, 2, 3, 3]), undefined, { stride: 2, outputPadding: 2 })).toThrow('convTranspose2d: outputPadding=[2, 2] must be smaller than stride=[2, 2]');
    expect(() => sn.F.convTranspose2d(x, sn.zeros([4, 2, 3, 3]), sn.zeros([3]))).toThrow('convTranspose2d: bias of shape [3] must be [2], one value per output channel');
    expect(() => sn.F.convTranspose2d(x, sn.zeros([4, 2, 1, 1]), undefined, { padding: 2 })).toThrow('convTranspose2d: the output would be -1×-1');
    expect(() => new sn.nn.ConvTranspose2d(4, 6, 3, { groups: 4 })).toThrow('ConvTranspose2d: groups=4 must divide inChannels=4 and outChannels=6');
  });
});

describe('adaptive pooling', () => {
  it('pools to a fixed size with PyTorch\'s windows: global, divisible and overlapping', () => {
    const x = sn.arange(12).reshape(1, 1, 3, 4);
    expect(sn.F.adaptiveAvgPool2d(x, 1).toArray()).toEqual([[[[5.5]]]]);
    expect(sn.F.adaptiveMaxPool2d(x, [1, 2]).toArray()).toEqual([[[[9, 11]]]]);
    // Rows [0, 2) and [1, 3): the middle row is in both windows.
    expect(sn.F.adaptiveAvgPool2d(x, [2, 1]).toArray()).toEqual([[[[3.5], [7.5]]]]);
    expect(sn.F.adaptiveAvgPool2d(x, [null, 2]).shape).toEqual([1, 1, 3, 2]);
    expect(new sn.nn.AdaptiveAvgPool2d(5).forward(sn.zeros([2, 3, 7, 7])).shape).toEqual([2, 3, 5, 5]);
    expect(sn.F.adaptiveMaxPool2d(sn.zeros([3, 8, 8]), 2).shape).toEqual([3, 2, 2]);
    expect(sn.F.adaptiveMaxPool2d(sn.tensor([1, NaN, 3, 2], [1, 1, 2, 2]), 1).toArray()).toEqual([[[[NaN]]]]);
  });

  const cases: [string, number[], sn.F.AdaptiveSize][] = [
    ['[2, 3, 7, 17] to [3, 5]', [2, 3, 7, 17], [3, 5]],
    ['[1, 2, 6, 4] to 1', [1, 2, 6, 4], 1],
    ['[1, 1, 3, 5] upward to [4, 7]', [1, 1, 3, 5], [4, 7]],
  ];
  it.each(cases)('%s: gradients match finite differences and wasm matches ts (avg and max)', (name, shape, size) => {
    const input = [{ values: randomValues(shape.reduce((a, b) => a * b, 1), 7), shape }];
    for (const op of [sn.F.adaptiveAvgPool2d, sn.F.adaptiveMaxPool2d]) {
      gradcheck((x) => op(x, size), input, { name: `${op.name} ${name}`, maxElements: 40 });
      compareBackends((x) => op(x, size), input, { name: `${op.name} ${name}` });
    }
  });

  it('names a bad output size or input', () => {
    expect(() => new sn.nn.AdaptiveAvgPool2d(0)).toThrow('AdaptiveAvgPool2d: outputSize=0 must be a positive integer or a pair [h, w] of them');
    expect(() => sn.F.adaptiveMaxPool2d(sn.zeros([4, 4]), 2)).toThrow('adaptiveMaxPool2d: input must be 4-D [N, C, H, W] or 3-D [C, H, W], got [4, 4]');
  });
});

describe('interpolate and Upsample', () => {
  it('nearest repeats pixels; bilinear blends them, with or without aligned corners', () => {
    const x = sn.tensor([[1, 2], [3, 4]]).reshape(1, 1, 2, 2);
    expect(sn.F.interpolate(x, { scaleFactor: 2 }).toArray()).toEqual([[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    expect(sn.F.interpolate(x, { size: [1, 3] }).toArray()).toEqual([[[[1, 1, 2]]]]);
    expect(sn.F.interpolate(x, { size: [3, 3], mode: 'bilinear', alignCorners: true }).toArray()).toEqual([[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]);
    expect(sn.F.interpolate(x, { scaleFactor: 2, mode: 'bilinear' }).toArray()).toEqual([[[
      [1, 1.25, 1.75, 2], [1.5, 1.75, 2.25, 2.5], [2.5, 2.75, 3.25, 3.5], [3, 3.25, 3.75, 4]]]]);
    expect(new sn.nn.Upsample({ scaleFactor: [1, 3] }).forward(sn.zeros([2, 3, 4, 5])).shape).toEqual([2, 3, 4, 15]);
  });

  const cases: [string, number[], sn.F.InterpolateOptions][] = [
    ['nearest ×2 [2, 3, 7, 17]', [2, 3, 7, 17], { scaleFactor: 2 }],
    ['nearest to [5, 3] from [1, 2, 7, 4]', [1, 2, 7, 4], { size: [5, 3] }],
    ['bilinear ×1.7 [1, 2, 5, 3]', [1, 2, 5, 3], { scaleFactor: 1.7, mode: 'bilinear' }],
    ['bilinear aligned to [4, 9] from [2, 1, 7, 5]', [2, 1, 7, 5], { size: [4, 9], mode: 'bilinear', alignCorners: true }],
  ];
  it.each(cases)('%s: gradients match finite differences and wasm matches ts', (name, shape, options) => {
    const input = [{ values: randomValues(shape.reduce((a, b) => a * b, 1), 8), shape }];
    gradcheck((x) => sn.F.interpolate(x, options), input, { name, maxElements: 40 });
    compareBackends((x) => sn.F.interpolate(x, options), input, { name });
  });

  it('names a bad option', () => {
    const x = sn.zeros([1, 1, 4, 4]);
    expect(() => sn.F.interpolate(x, {})).toThrow('interpolate: give either size or scaleFactor (input [1, 1, 4, 4])');
    expect(() => sn.F.interpolate(x, { size: 2, scaleFactor: 2 })).toThrow('interpolate: give either size or scaleFactor');
    expect(() => sn.F.interpolate(x, { size: 2, alignCorners: true })).toThrow("interpolate: alignCorners can only be set with mode 'bilinear'");
    expect(() => sn.F.interpolate(x, { scaleFactor: 0.1 })).toThrow('interpolate: scaleFactor=0.1 gives an empty output (0×0)');
    expect(() => sn.F.interpolate(x, { size: 2, mode: 'bicubic' as 'bilinear' })).toThrow(`interpolate: mode must be 'nearest' or 'bilinear', got "bicubic"`);
    expect(() => sn.F.interpolate(sn.zeros([4, 4]), { size: 2 })).toThrow('interpolate: input must be 4-D [N, C, H, W] (input [4, 4])');
  });
});

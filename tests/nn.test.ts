import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

afterEach(() => sn.setBackend('wasm'));

function lenet(): sn.nn.Sequential {
  const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, BatchNorm2d, Dropout } = sn.nn;
  return new Sequential(
    new Conv2d(1, 8, 5), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 16, 5), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Dropout(0.5), new Linear(256, 10),
  );
}

describe('modules', () => {
  it('name parameters and buffers as PyTorch does for the same Sequential', () => {
    const model = lenet();
    expect(model.namedParameters().map(([name]) => name)).toEqual([
      '0.weight', '0.bias', '3.weight', '3.bias', '4.weight', '4.bias', '9.weight', '9.bias',
    ]);
    expect(Object.keys(model.stateDict())).toEqual([
      '0.weight', '0.bias', '3.weight', '3.bias',
      '4.weight', '4.bias', '4.running_mean', '4.running_var', '4.num_batches_tracked',
      '9.weight', '9.bias',
    ]);
    expect(model.stateDict()['3.weight'].shape).toEqual([16, 8, 5, 5]);
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it('initialise Conv2d and Linear as PyTorch: uniform within ±1/√fanIn, from the seed', () => {
    sn.manualSeed(7);
    const a = new sn.nn.Conv2d(8, 16, 5);
    const bound = 1 / Math.sqrt(8 * 25);
    const w = a.weight.toFloat32Array();
    expect(w.every((v) => Math.abs(v) <= Math.fround(bound))).toBe(true);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance).toBeCloseTo(bound ** 2 / 3, 4);
    sn.manualSeed(7);
    expect(new sn.nn.Conv2d(8, 16, 5).weight.toFloat32Array()).toEqual(w);
  });

  it('switch every child between training and evaluation mode', () => {
    const model = lenet();
    expect(model.layers.every((l) => l.training)).toBe(true);
    model.eval();
    expect(model.layers.every((l) => !l.training)).toBe(true);
    model.train();
    expect(model.layers.every((l) => l.training)).toBe(true);
  });

  it('load a state dict in place, so optimisers keep their tensors', () => {
    const source = lenet();
    const target = lenet();
    const weight = target.parameters()[0];
    target.loadStateDict(source.stateDict());
    expect(target.parameters()[0]).toBe(weight);
    expect(weight.toFloat32Array()).toEqual(source.parameters()[0].toFloat32Array());
  });

  it('refuse a state dict with missing, unexpected or wrongly shaped entries, listing all, changing nothing', () => {
    const model = lenet();
    const before = model.parameters()[0].toFloat32Array();
    const sd = { ...lenet().stateDict() };
    delete sd['0.bias'];
    delete sd['9.weight'];
    sd['extra.weight'] = sn.zeros([1]);
    sd['3.bias'] = sn.zeros([15]);
    expect(() => model.loadStateDict(sd)).toThrow(
      'loadStateDict: missing keys: 0.bias, 9.weight. unexpected keys: extra.weight. wrong shapes: 3.bias: expected [16], got [15]');
    expect(model.parameters()[0].toFloat32Array()).toEqual(before);
  });

  it('load only the shared keys with strict: false, returning the missing and unexpected ones as PyTorch does', () => {
    const model = lenet();
    const source = lenet();
    const sd = { ...source.stateDict() };
    delete sd['0.bias'];
    delete sd['9.weight'];
    sd['extra.weight'] = sn.zeros([1]);
    const bias = model.stateDict()['0.bias'].toFloat32Array();
    expect(model.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['0.bias', '9.weight'], unexpectedKeys: ['extra.weight'] });
    expect(model.stateDict()['0.weight'].toFloat32Array()).toEqual(source.stateDict()['0.weight'].toFloat32Array());
    expect(model.stateDict()['0.bias'].toFloat32Array()).toEqual(bias);
    expect(model.loadStateDict(source.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });

  it('still refuse wrongly shaped entries with strict: false, changing nothing', () => {
    const model = lenet();
    const before = model.parameters()[0].toFloat32Array();
    const sd: Record<string, sn.Tensor> = { ...lenet().stateDict(), '3.bias': sn.zeros([15]) };
    delete sd['9.weight'];
    expect(() => model.loadStateDict(sd, { strict: false })).toThrow('loadStateDict: wrong shapes: 3.bias: expected [16], got [15]');
    expect(model.parameters()[0].toFloat32Array()).toEqual(before);
  });

  it('refuse impossible layer configurations with the option named', () => {
    expect(() => new sn.nn.Linear(0, 3)).toThrow('Linear: inFeatures must be a positive integer, got 0');
    expect(() => new sn.nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow('Conv2d: groups=2 must divide inChannels=3 and outChannels=4');
    expect(() => new sn.nn.Dropout(1.5)).toThrow('Dropout: p must be in [0, 1], got 1.5');
  });

  it.each(['wasm', 'ts'] as const)('run forward and backward through every layer type on %s', (backend) => {
    sn.setBackend(backend);
    sn.manualSeed(1);
    const { Sequential, Conv2d, LeakyReLU, AvgPool2d, Sigmoid, Tanh, Flatten, Linear, Softmax } = sn.nn;
    const model = new Sequential(
      new Conv2d(3, 4, 3, { padding: 1, stride: 2 }), new LeakyReLU(0.1), new AvgPool2d(2),
      new Sigmoid(), new Flatten(), new Linear(16, 5), new Tanh(), new Softmax(1),
    );
    const y = model.forward(sn.randn([2, 3, 8, 8]));
    expect(y.shape).toEqual([2, 5]);
    y.sum().backward();
    expect(model.parameters().every((p) => p.grad !== undefined)).toBe(true);
  });
});

// The layers and tensor ops of issue #10 against PyTorch 1.13 (tests/fixtures/make_layers_fixtures.py):
// outputs and, for loss = Σ y·r, the gradient of every input, on both backends.
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import fixture from './fixtures/layers.json';
import { expectClose } from './helpers/data.js';
import { expectMatchesCase } from './helpers/op-cases.js';

afterEach(() => sn.setBackend('wasm'));

interface Params {
  dim?: number; dims?: number[]; start?: number; length?: number; end?: number; step?: number;
  pads?: number[]; value?: number; outputSize?: number | [number | null, number | null];
  size?: [number, number]; scaleFactor?: number | [number, number]; mode?: 'nearest' | 'bilinear'; alignCorners?: boolean;
}

const ops: Record<string, (inputs: Tensor[], p: Params) => Tensor> = {
  permute: ([x], p) => x.permute(p.dims!),
  transpose: ([x], p) => x.transpose(p.dims![0], p.dims![1]),
  narrow: ([x], p) => x.narrow(p.dim!, p.start!, p.length!),
  slice: ([x], p) => x.slice(p.dim!, p.start, p.end, p.step),
  cat: (inputs, p) => sn.cat(inputs, p.dim),
  pad: ([x], p) => sn.F.pad(x, p.pads!, p.value),
  relu6: ([x]) => sn.F.relu6(x),
  silu: ([x]) => sn.F.silu(x),
  gelu: ([x]) => sn.F.gelu(x),
  geluTanh: ([x]) => sn.F.gelu(x, { approximate: 'tanh' }),
  hardswish: ([x]) => sn.F.hardswish(x),
  hardsigmoid: ([x]) => sn.F.hardsigmoid(x),
  adaptiveAvgPool2d: ([x], p) => sn.F.adaptiveAvgPool2d(x, p.outputSize!),
  adaptiveMaxPool2d: ([x], p) => sn.F.adaptiveMaxPool2d(x, p.outputSize!),
  interpolate: ([x], p) => sn.F.interpolate(x, p),
};

// f32 transcendentals and sums differ from PyTorch's by a few ulp.
const tolerance = (ref: ArrayLike<number>) => (i: number) => 2e-6 + 2e-5 * Math.abs(ref[i]);

describe.each(['wasm', 'ts'] as const)('layers and tensor ops on the %s backend match PyTorch 1.13', (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    sn.setBackend(backend);
    expectMatchesCase(c, (inputs) => ops[c.op](inputs, c.params as Params), tolerance);
  });
});

// Layers built from the options the fixture names, with PyTorch's state loaded by its keys.
interface LayerOptions {
  numFeatures?: number; momentum?: number;
  inChannels?: number; outChannels?: number; kernelSize?: number | [number, number];
  stride?: number | [number, number]; padding?: number | [number, number]; outputPadding?: number | [number, number];
  dilation?: number | [number, number]; groups?: number; bias?: boolean;
  outputSize?: number | [number | null, number | null]; size?: [number, number]; scaleFactor?: number | [number, number];
  mode?: 'nearest' | 'bilinear'; approximate?: 'none' | 'tanh';
}
const layers: Record<string, (o: LayerOptions) => sn.nn.Module> = {
  BatchNorm1d: (o) => new sn.nn.BatchNorm1d(o.numFeatures!, o),
  ConvTranspose2d: (o) => new sn.nn.ConvTranspose2d(o.inChannels!, o.outChannels!, o.kernelSize!, o),
  AdaptiveAvgPool2d: (o) => new sn.nn.AdaptiveAvgPool2d(o.outputSize!),
  AdaptiveMaxPool2d: (o) => new sn.nn.AdaptiveMaxPool2d(o.outputSize!),
  Upsample: (o) => new sn.nn.Upsample(o),
  ReLU6: () => new sn.nn.ReLU6(),
  SiLU: () => new sn.nn.SiLU(),
  GELU: (o) => new sn.nn.GELU(o),
  Hardswish: () => new sn.nn.Hardswish(),
  Hardsigmoid: () => new sn.nn.Hardsigmoid(),
  Identity: () => new sn.nn.Identity(),
};

interface ModuleCase {
  name: string; kind: string; options: LayerOptions; training: boolean;
  state: Record<string, { shape: number[]; values: number[] }>;
  input: { shape: number[]; values: number[] }; r: number[]; y: { shape: number[]; values: number[] };
  gradInput: number[]; gradParameters: Record<string, number[]>; stateAfter: Record<string, number[]>;
}

describe.each(['wasm', 'ts'] as const)('layers on the %s backend match PyTorch 1.13 with its state dict keys', (backend) => {
  it.each((fixture.modules as ModuleCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    sn.setBackend(backend);
    const layer = layers[c.kind](c.options);
    layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, t]) => [k, sn.tensor(t.values, t.shape)])));
    layer.train(c.training);
    const x = sn.tensor(c.input.values, c.input.shape);
    x.requiresGrad = true;
    const y = layer.forward(x);
    expect(y.shape).toEqual(c.y.shape);
    expectClose(y.toFloat32Array(), c.y.values, tolerance(c.y.values), `${c.name} output`);
    y.backward(sn.tensor(c.r, c.y.shape));
    expectClose(x.grad!.toFloat32Array(), c.gradInput, tolerance(c.gradInput), `${c.name} input gradient`);
    const parameters = layer.namedParameters();
    expect(parameters.map(([k]) => k)).toEqual(Object.keys(c.gradParameters));
    for (const [k, p] of parameters) expectClose(p.grad!.toFloat32Array(), c.gradParameters[k], tolerance(c.gradParameters[k]), `${c.name} gradient of ${k}`);
    for (const [k, t] of Object.entries(layer.stateDict())) expectClose(t.toFloat32Array(), c.stateAfter[k], tolerance(c.stateAfter[k]), `${c.name} ${k} after the call`);
  });
});

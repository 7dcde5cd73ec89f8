import { fromBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { OnnxError, loadOnnx, toOnnx } from '../../src/onnx/index.js';
import { ModelProtoSchema } from '../../src/onnx/proto/onnx_pb.js';
import { expectClose } from '../helpers/data.js';
import { ONNX_FIXTURES, fixtureTensor, onnxBytes, type OnnxFixture } from '../helpers/onnx.js';
import { runOrt } from '../helpers/ort.js';

// toOnnx's files run in onnxruntime-web (wasm backend in Node, one thread) with simdnn's outputs.

const fixtures = Object.entries(ONNX_FIXTURES) as [string, OnnxFixture][];

/** Every sn.nn layer toOnnx writes, with batch norm statistics away from their defaults. */
function everyLayer(): sn.nn.Sequential {
  const { Sequential, Conv2d, BatchNorm2d, ReLU, LeakyReLU, MaxPool2d, AvgPool2d, Sigmoid, Tanh, Dropout, Flatten, Linear, Softmax } = sn.nn;
  const { ReLU6, Hardswish, Hardsigmoid, SiLU, GELU, Identity } = sn.nn;
  const bn = new BatchNorm2d(6);
  bn.runningMean.backend.write(bn.runningMean.storage, Float32Array.from([0.1, -0.2, 0.3, 0, 0.5, -0.4]));
  bn.runningVar.backend.write(bn.runningVar.storage, Float32Array.from([0.5, 1.5, 1, 2, 0.8, 1.2]));
  return new Sequential(
    new Conv2d(3, 6, 3, { padding: 1 }), bn, new LeakyReLU(0.1), new MaxPool2d(2),
    new Sequential(new Conv2d(6, 6, 3, { groups: 3, stride: 2, padding: 1, dilation: 1 }), new Tanh()),
    new Conv2d(6, 6, 3, { padding: 2, dilation: 2 }), new Hardswish(), new Conv2d(6, 6, 1), new ReLU6(),
    new AvgPool2d(3, { stride: 1, padding: 1 }), new Conv2d(6, 4, 1, { bias: false }), new Sigmoid(), new Identity(),
    new Dropout(0.3), new Flatten(), new Linear(64, 16), new SiLU(), new Linear(16, 16), new Hardsigmoid(), new GELU(),
    new Linear(16, 16), new GELU({ approximate: 'tanh' }), new ReLU(), new Linear(16, 5), new Softmax(1),
  );
}

/** The layers of issue #10 toOnnx writes: transposed convolution, upsampling, adaptive pooling, BatchNorm1d. */
function newerLayers(): sn.nn.Sequential {
  const { Sequential, Conv2d, ConvTranspose2d, Upsample, AdaptiveAvgPool2d, AdaptiveMaxPool2d, ReLU, Flatten, BatchNorm1d, Linear } = sn.nn;
  return new Sequential(
    new ConvTranspose2d(3, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }), new ReLU(),
    new Upsample({ scaleFactor: 2 }), new Upsample({ size: [21, 27], mode: 'bilinear' }), new Upsample({ scaleFactor: [1, 2], mode: 'bilinear', alignCorners: true }),
    new Conv2d(4, 6, 3, { stride: 2, padding: 1 }), new AdaptiveMaxPool2d([11, 9]), new AdaptiveAvgPool2d(1),
    new Flatten(), new BatchNorm1d(6), new Linear(6, 3),
  );
}

afterEach(() => sn.setBackend('wasm'));

describe('toOnnx of sn.nn models', () => {
  it.each([11, 13, 17])('writes every supported layer so that onnxruntime-web gives the same outputs (opset %i)', async (opset) => {
    sn.manualSeed(1);
    const model = everyLayer();
    const x = sn.randn([3, 3, 16, 16]);
    const bytes = toOnnx(model, { inputShape: [1, 3, 16, 16], opset });
    const expected = sn.noGrad(() => model.eval().forward(x));
    const ort = await runOrt(bytes, { input: { values: x.toFloat32Array(), shape: x.shape } });
    expect(ort.shape).toEqual([3, 5]);
    expectClose(ort.values, expected.toFloat32Array(), () => 1e-4, `opset ${opset}`);
  });

  it.each([11, 18])('writes ConvTranspose2d, Upsample (scale or size, nearest or bilinear), adaptive pooling and BatchNorm1d (opset %i)', async (opset) => {
    sn.manualSeed(3);
    const model = newerLayers().eval();
    const x = sn.randn([2, 3, 5, 7]);
    const bytes = toOnnx(model, { inputShape: [1, 3, 5, 7], opset });
    const expected = sn.noGrad(() => model.forward(x)).toFloat32Array();
    const ort = await runOrt(bytes, { input: { values: x.toFloat32Array(), shape: x.shape } });
    expectClose(ort.values, expected, () => 1e-4, `onnxruntime, opset ${opset}`);
    const reloaded = loadOnnx(bytes).eval();
    expectClose(sn.noGrad(() => reloaded.forward(x)).toFloat32Array(), expected, () => 1e-6, `re-imported, opset ${opset}`);
  });

  it.each([11, 18])('writes GELU node for node as PyTorch 1.13 does, both approximations, with onnxruntime-web\'s outputs within 1e-5 (opset %i)', async (opset) => {
    const x = sn.mul(sn.randn([4, 5]), 3);
    const written = { none: ['Div', 'Erf', 'Add', 'Mul', 'Mul'], tanh: ['Mul', 'Mul', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul'] };
    for (const approximate of ['none', 'tanh'] as const) {
      const bytes = toOnnx(new sn.nn.GELU({ approximate }), { inputShape: [1, 5], opset });
      expect(fromBinary(ModelProtoSchema, bytes).graph!.node.map((n) => n.opType).filter((op) => op !== 'Constant')).toEqual(written[approximate]);
      const ort = await runOrt(bytes, { input: { values: x.toFloat32Array(), shape: x.shape } });
      expectClose(ort.values, sn.F.gelu(x, { approximate }).toFloat32Array(), () => 1e-5, `GELU approximate=${approximate}`);
    }
  });

  it('names initializers by the state-dict keys, so the re-imported model has the same state', () => {
    sn.manualSeed(2);
    const model = everyLayer();
    const reloaded = loadOnnx(toOnnx(model, { inputShape: [1, 3, 16, 16] }));
    const keys = Object.keys(model.stateDict()).filter((k) => !k.endsWith('num_batches_tracked'));
    expect(Object.keys(reloaded.stateDict()).sort()).toEqual(keys.sort());
    const x = sn.randn([2, 3, 16, 16]);
    expectClose(sn.noGrad(() => reloaded.eval().forward(x)).toFloat32Array(), sn.noGrad(() => model.eval().forward(x)).toFloat32Array(), () => 1e-6, 're-imported');
  });

  it('leaves every module in the mode it was in', () => {
    const model = everyLayer().train();
    toOnnx(model, { inputShape: [1, 3, 16, 16] });
    expect(model.training).toBe(true);
    expect(model.layers[4].training).toBe(true);
  });

  it('refuses a layer it cannot write, an opset out of range and a bad input shape, naming them', () => {
    class Custom extends sn.nn.Module {
      forward(x: sn.Tensor): sn.Tensor { return x; }
    }
    const model = new sn.nn.Sequential(new sn.nn.ReLU(), new Custom());
    expect(() => toOnnx(model, { inputShape: [1, 4] })).toThrow(OnnxError);
    expect(() => toOnnx(model, { inputShape: [1, 4] })).toThrow(/layer Custom \("1"\) is unsupported/);
    expect(() => toOnnx(new sn.nn.ReLU(), { inputShape: [1, 4], opset: 9 })).toThrow(/opset 9 is unsupported \(11 to 18\)/);
    expect(() => toOnnx(new sn.nn.ReLU(), { inputShape: [1, -4] })).toThrow(/inputShape \[1,-4\] must list positive integers/);
    expect(() => toOnnx(new sn.nn.AdaptiveAvgPool2d(3), { inputShape: [1, 1, 8, 8] })).toThrow(/AdaptiveAvgPool2d "AdaptiveAvgPool2d" from 8×8 to 3×3 has no ONNX equivalent/);
  });
});

describe('toOnnx of models loaded from PyTorch files', () => {
  it.each(fixtures)('%s, fine-tuned one SGD step, runs in onnxruntime-web with simdnn\'s outputs', async (_, fixture) => {
    const model = loadOnnx(onnxBytes(fixture)).train();
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.05 });
    sn.F.crossEntropy(model.forward(fixtureTensor(fixture.finetune.input)), fixture.finetune.targets).backward();
    optimizer.step();
    const x = fixtureTensor(fixture.input);
    const expected = sn.noGrad(() => model.eval().forward(x)).toFloat32Array();
    const bytes = toOnnx(model, { inputShape: fixture.input.shape });
    const ort = await runOrt(bytes, { input: fixture.input });
    expect(ort.shape).toEqual(fixture.output.shape);
    expectClose(ort.values, expected, () => 1e-4, fixture.name);
    expect(ort.values).not.toEqual(Float32Array.from(fixture.output.values)); // the fine-tuned weights were written
  });

  it('keeps the file\'s opset and refuses to convert it', () => {
    const model = loadOnnx(onnxBytes(ONNX_FIXTURES.lenet));
    expect(() => toOnnx(model, { inputShape: [1, 1, 28, 28], opset: 17 })).toThrow(/loaded from opset 11 .* converting it to opset 17 is unsupported/);
  });
});

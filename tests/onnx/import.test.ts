import { afterEach, describe, expect, it } from 'vitest';
import { memoryBytes } from '../../bindings/memory.js';
import * as sn from '../../src/index.js';
import { loadOnnx, toOnnx } from '../../src/onnx/index.js';
import { expectClose } from '../helpers/data.js';
import { ONNX_FIXTURES, fixtureTensor, fromBase64, onnxBytes, type OnnxFixture } from '../helpers/onnx.js';

// Models exported by PyTorch 1.13's torch.onnx.export (tests/fixtures/make_onnx_fixtures.py): a
// LeNet (opset 11), a residual network with batch norm and global average pooling (13), a
// MobileNet-style network with depthwise convolutions, ReLU6, Hardswish and squeeze-excite (14), a
// net flattened with x.view(x.size(0), -1) (17), and a conv net with both GELUs, which PyTorch
// writes as Erf and Tanh patterns (12). Their batch dimension is symbolic.

const fixtures = Object.entries(ONNX_FIXTURES) as [string, OnnxFixture][];

/** The state dict PyTorch reached after 3 SGD steps. */
function fineTunedState(fixture: OnnxFixture): sn.nn.StateDict {
  return sn.io.fromSafetensors(fromBase64(fixture.finetune.stateSafetensorsBase64));
}

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('ONNX models exported by PyTorch, on the %s backend', (backend) => {
  it.each(fixtures)('%s gives PyTorch\'s outputs within 1e-4 in eval mode', (_, fixture) => {
    sn.setBackend(backend);
    const model = loadOnnx(onnxBytes(fixture)).eval();
    const y = sn.noGrad(() => model.forward(fixtureTensor(fixture.input)));
    expect(y.shape).toEqual(fixture.output.shape);
    expectClose(y.toFloat32Array(), fixture.output.values, () => 1e-4, `${fixture.name} output`);
  });

  it.each(fixtures)('%s exported with torch.onnx.export\'s defaults (batch norm folded into the convolutions) gives the same outputs', (_, fixture) => {
    sn.setBackend(backend);
    const model = loadOnnx(fromBase64(fixture.defaultExportBase64)).eval();
    const y = sn.noGrad(() => model.forward(fixtureTensor(fixture.input)));
    expectClose(y.toFloat32Array(), fixture.output.values, () => 1e-4, `${fixture.name} (default export) output`);
  });

  it.each(fixtures)('%s reaches PyTorch\'s weights and running statistics after 3 SGD steps in training mode', (_, fixture) => {
    sn.setBackend(backend);
    const model = loadOnnx(onnxBytes(fixture)).train();
    const optimizer = new sn.optim.SGD(model.parameters(), fixture.finetune.sgd);
    const x = fixtureTensor(fixture.finetune.input);
    for (let step = 0; step < fixture.finetune.steps; step++) {
      optimizer.zeroGrad();
      sn.F.crossEntropy(model.forward(x), fixture.finetune.targets).backward();
      optimizer.step();
    }
    const expected = fineTunedState(fixture);
    const state = model.stateDict();
    expect(Object.keys(state).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, t] of Object.entries(expected)) {
      expectClose(state[name].toFloat32Array(), t.toFloat32Array(), () => 1e-4, `${fixture.name}: ${name}`);
    }
  });
});

describe('a loaded ONNX model', () => {
  const { resnet, viewnet, mobilenet } = ONNX_FIXTURES;

  it('names its parameters and buffers by the ONNX initializer names (PyTorch\'s state_dict keys)', () => {
    const model = loadOnnx(onnxBytes(resnet));
    expect(model.namedParameters().map(([name]) => name)).toContain('layer2.shortcut.0.weight');
    expect(model.namedBuffers().map(([name]) => name)).toEqual(expect.arrayContaining(['bn1.running_mean', 'bn1.running_var']));
    expect(model.namedParameters().map(([name]) => name)).not.toContain('bn1.running_mean');
  });

  it('round-trips its state dict: PyTorch\'s fine-tuned state loads as it is and changes the outputs', () => {
    const model = loadOnnx(onnxBytes(resnet)).eval();
    const x = fixtureTensor(resnet.input);
    const before = sn.noGrad(() => model.forward(x)).toFloat32Array();
    model.loadStateDict(fineTunedState(resnet));
    const after = sn.noGrad(() => model.forward(x)).toFloat32Array();
    expect(after).not.toEqual(before);
    const copy = loadOnnx(onnxBytes(resnet)).eval();
    copy.loadStateDict(model.stateDict());
    expect(sn.noGrad(() => copy.forward(x)).toFloat32Array()).toEqual(after);
  });

  it('folds x.view(x.size(0), -1) at load time: Shape, Gather, Unsqueeze and Concat never run', () => {
    const model = loadOnnx(onnxBytes(viewnet));
    expect(model.nodes.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Reshape', 'Gemm', 'LogSoftmax']);
  });

  it('takes any batch size for a symbolic batch dimension, and checks the fixed ones', () => {
    const model = loadOnnx(onnxBytes(viewnet)).eval();
    const one = fixtureTensor(viewnet.input).reshape(2, 144);
    const single = sn.noGrad(() => model.forward(sn.tensor(one.toFloat32Array().subarray(144), [1, 1, 12, 12])));
    expect(single.shape).toEqual([1, 10]);
    expectClose(single.toFloat32Array(), viewnet.output.values.slice(10), () => 1e-4, 'second sample alone');
    expect(sn.noGrad(() => model.forward(sn.zeros([5, 1, 12, 12]))).shape).toEqual([5, 10]);
    expect(() => model.forward(sn.zeros([1, 1, 13, 12]))).toThrow(/input "input" of shape \[1, 1, 13, 12\] has size 13 on axis 2, expected 12/);
    expect(() => model.forward()).toThrow(/takes 1 input\(s\) \(input\), got 0/);
  });

  it('switches batch normalization with train()/eval(): batch statistics and running updates only in training', () => {
    const model = loadOnnx(onnxBytes(mobilenet));
    const x = fixtureTensor(mobilenet.input);
    const running = () => model.stateDict()['stem.1.running_mean'].toFloat32Array();
    const initial = running();
    model.eval();
    const evalOut = sn.noGrad(() => model.forward(x)).toFloat32Array();
    expect(running()).toEqual(initial);
    expectClose(evalOut, mobilenet.output.values, () => 1e-4, 'eval output');
    model.train();
    const trainOut = sn.noGrad(() => model.forward(x)).toFloat32Array();
    expect(running()).not.toEqual(initial);
    expect(trainOut).not.toEqual(evalOut);
  });
});

describe('Conv followed by BatchNormalization', () => {
  it('runs as one folded convolution in eval mode, with the unfused outputs and parameter gradients', () => {
    sn.manualSeed(4);
    const { Sequential, Conv2d, BatchNorm2d, ReLU, Flatten, Linear } = sn.nn;
    const reference = new Sequential(new Conv2d(3, 4, 3, { groups: 1, padding: 1 }), new BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(64, 2));
    const bn = reference.layers[1] as sn.nn.BatchNorm2d;
    bn.runningMean.backend.write(bn.runningMean.storage, Float32Array.from([0.3, -0.1, 0.2, 0]));
    bn.runningVar.backend.write(bn.runningVar.storage, Float32Array.from([0.5, 2, 1.5, 0.8]));
    const model = loadOnnx(toOnnx(reference, { inputShape: [1, 3, 4, 4] }));
    expect(model.nodes.map((n) => n.opType)).toEqual(['Conv', 'BatchNormalization', 'Relu', 'Flatten', 'Gemm']);
    const x = sn.randn([2, 3, 4, 4]);
    const losses = [reference, model].map((m) => {
      const loss = sn.F.crossEntropy(m.eval().forward(x), [0, 1]);
      loss.backward();
      return loss.item();
    });
    expect(losses[1]).toBeCloseTo(losses[0], 5);
    const grads = Object.fromEntries(model.namedParameters().map(([name, p]) => [name, p.grad!.toFloat32Array()]));
    for (const [name, p] of reference.namedParameters()) expectClose(grads[name], p.grad!.toFloat32Array(), () => 1e-5, `gradient of ${name}`);
  });
});

describe('Conv followed by BatchNormalization in eval mode, folded on every call', () => {
  const { resnet, mobilenet } = ONNX_FIXTURES;
  const bitsOf = (t: sn.Tensor) => new Uint32Array(t.toFloat32Array().buffer);

  it.each(['wasm', 'ts'] as const)('gives the same bits without gradients (one fold kernel) as with them (differentiable ops), on the %s backend', (backend) => {
    sn.setBackend(backend);
    for (const fixture of [resnet, mobilenet]) {
      const model = loadOnnx(onnxBytes(fixture)).eval();
      const x = fixtureTensor(fixture.input);
      const recorded = model.forward(x);
      expect(recorded.requiresGrad).toBe(true);
      expect(bitsOf(sn.noGrad(() => model.forward(x))), fixture.name).toEqual(bitsOf(recorded));
    }
  });

  it('follows every change of the parameters and statistics: each shows in the next output, as in a fresh load of the same state', () => {
    const model = loadOnnx(onnxBytes(resnet)).eval();
    const x = fixtureTensor(resnet.finetune.input);
    const infer = (m: sn.nn.Module) => bitsOf(sn.noGrad(() => m.forward(x)));
    const freshLoad = () => {
      const copy = loadOnnx(onnxBytes(resnet)).eval();
      copy.loadStateDict(model.stateDict());
      return infer(copy);
    };
    const changes: Record<string, () => void> = {
      'an SGD step after backward() in eval mode': () => {
        const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1 });
        sn.F.crossEntropy(model.forward(x), resnet.finetune.targets).backward();
        optimizer.step();
      },
      'loadStateDict': () => model.loadStateDict(fineTunedState(resnet)),
      'a batch-norm weight written in place': () => {
        const gamma = model.stateDict()['layer1.bn2.weight'];
        gamma.backend.write(gamma.storage, gamma.toFloat32Array().map((v) => v * 1.5));
      },
      'running statistics updated by a training-mode forward': () => {
        sn.noGrad(() => model.train().forward(x));
        model.eval();
      },
    };
    let previous = infer(model);
    for (const [change, apply] of Object.entries(changes)) {
      apply();
      const now = infer(model);
      expect(now, change).not.toEqual(previous);
      expect(now, change).toEqual(freshLoad());
      previous = now;
    }
  });

  it('keeps the folded weights of a recorded call apart from later calls: an input gradient uses the weights of its forward', () => {
    const model = loadOnnx(onnxBytes(resnet)).eval();
    for (const p of model.parameters()) p.requiresGrad = false;
    const gamma = model.stateDict()['bn1.weight'];
    const inputGradient = (between: () => void) => {
      const x = fixtureTensor(resnet.input);
      x.requiresGrad = true;
      const y = model.forward(x); // recorded through x only: its folded weights stay with the graph
      between();
      y.sum().backward();
      return bitsOf(x.grad!);
    };
    const expected = inputGradient(() => {});
    const original = gamma.toFloat32Array();
    const actual = inputGradient(() => {
      gamma.backend.write(gamma.storage, original.map((v) => 2 * v));
      sn.noGrad(() => model.forward(fixtureTensor(resnet.input))); // folds the changed weights
      gamma.backend.write(gamma.storage, original);
    });
    expect(actual).toEqual(expected);
  });
});

describe('a loaded ONNX model in a long loop', () => {
  it('keeps wasm memory flat over 300 training steps and 300 inferences, with no dispose() in the loop', () => {
    const model = loadOnnx(onnxBytes(ONNX_FIXTURES.resnet));
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.01 });
    const x = fixtureTensor(ONNX_FIXTURES.resnet.finetune.input);
    const { targets } = ONNX_FIXTURES.resnet.finetune;
    let warm = 0;
    for (let step = 0; step < 300; step++) {
      optimizer.zeroGrad();
      sn.F.crossEntropy(model.train().forward(x), targets).backward();
      optimizer.step();
      sn.noGrad(() => model.eval().forward(x));
      if (step === 100) warm = memoryBytes();
    }
    expect(memoryBytes()).toBe(warm);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import fixture from './fixtures/cnn_parity.json';
import { expectClose } from './helpers/data.js';

// PyTorch parity for a whole training step of a small CNN (fixture: tests/fixtures/make_cnn_parity_fixtures.py).
// Tolerance: |ours − torch| ≤ 1e-5·|torch| + 1e-6. The absolute term covers values near zero, where
// the f32 rounding of long sums (different but equally valid summation orders) dominates.
const close = (expected: number[]) => (i: number) => 1e-5 * Math.abs(expected[i]) + 1e-6;

function makeModel(): sn.nn.Sequential {
  const { Sequential, Conv2d, ReLU, MaxPool2d, AvgPool2d, BatchNorm2d, Dropout, Flatten, Linear } = sn.nn;
  return new Sequential(
    new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(4, 6, 3), new ReLU(), new AvgPool2d(2),
    new BatchNorm2d(6), new Dropout(0), new Flatten(), new Linear(24, 10),
  );
}

function pytorchInitialState(): sn.nn.StateDict {
  const binary = atob(fixture.initSafetensorsBase64);
  return sn.io.fromSafetensors(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

function loss(model: sn.nn.Module): sn.Tensor {
  const x = sn.tensor(fixture.input.values, fixture.input.shape);
  return sn.F.crossEntropy(model.forward(x), fixture.targets);
}

function train(model: sn.nn.Module, optimizer: { zeroGrad(): void; step(): void }): void {
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    loss(model).backward();
    optimizer.step();
  }
}

function expectState(model: sn.nn.Module, expected: Record<string, number[]>, what: string): void {
  const state = model.stateDict();
  expect(Object.keys(state).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, values] of Object.entries(expected)) {
    expectClose(state[name].toFloat32Array(), values, close(values), `${what}: ${name}`);
  }
}

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('a small CNN on the %s backend matches PyTorch 1.13', (backend) => {
  it('loads PyTorch\'s state_dict from safetensors as it is, names included', () => {
    sn.setBackend(backend);
    const model = makeModel();
    model.loadStateDict(pytorchInitialState());
    expect(Object.keys(model.stateDict())).toContain('6.running_mean');
  });

  it('computes the same loss and the same gradient for every parameter', () => {
    sn.setBackend(backend);
    const model = makeModel();
    model.loadStateDict(pytorchInitialState());
    const l = loss(model);
    expect(l.item()).toBeCloseTo(fixture.loss, 5);
    l.backward();
    for (const [name, p] of model.namedParameters()) {
      const expected = fixture.grads[name as keyof typeof fixture.grads];
      expectClose(p.grad!.toFloat32Array(), expected, close(expected), `grad of ${name}`);
    }
  });

  it('reaches the same weights after 3 steps of SGD with momentum and weight decay', () => {
    sn.setBackend(backend);
    const model = makeModel();
    model.loadStateDict(pytorchInitialState());
    train(model, new sn.optim.SGD(model.parameters(), fixture.sgd.options));
    expectState(model, fixture.sgd.state, 'SGD');
  });

  it('reaches the same weights after 3 steps of Adam', () => {
    sn.setBackend(backend);
    const model = makeModel();
    model.loadStateDict(pytorchInitialState());
    train(model, new sn.optim.Adam(model.parameters(), fixture.adam.options));
    expectState(model, fixture.adam.state, 'Adam');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

afterEach(() => sn.setBackend('wasm'));

/** A tiny regression model and a fixed batch, for steps that give real gradients. */
function setup() {
  const model = new sn.nn.Sequential(new sn.nn.Linear(3, 4), new sn.nn.Tanh(), new sn.nn.Linear(4, 2));
  const x = sn.tensor([[0.5, -1, 2], [1, 0.25, -0.5]]);
  const y = sn.tensor([[1, 0], [0, 1]]);
  const step = (optimizer: sn.optim.Optimizer) => {
    optimizer.zeroGrad();
    sn.F.mseLoss(model.forward(x), y).backward();
    optimizer.step();
  };
  return { model, step };
}

const makers = {
  'SGD with momentum': (p: sn.Tensor[]) => new sn.optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
  Adam: (p: sn.Tensor[]) => new sn.optim.Adam(p, { lr: 0.01 }),
  'AdamW with AMSGrad': (p: sn.Tensor[]) => new sn.optim.AdamW(p, { lr: 0.01, amsgrad: true }),
};

describe.each(['wasm', 'ts'] as const)('optimiser state on the %s backend', (backend) => {
  it.each(Object.keys(makers) as (keyof typeof makers)[])('%s resumes exactly from a saved state dict, through safetensors', (name) => {
    sn.setBackend(backend);
    sn.manualSeed(1);
    const original = setup();
    const optimizer = makers[name](original.model.parameters());
    for (let i = 0; i < 3; i++) original.step(optimizer);
    const savedModel = sn.io.fromSafetensors(sn.io.toSafetensors(original.model.stateDict()));
    const savedOptimizer = sn.io.fromSafetensors(sn.io.toSafetensors(optimizer.stateDict()));

    sn.manualSeed(2);
    const resumed = setup();
    resumed.model.loadStateDict(savedModel);
    const resumedOptimizer = makers[name](resumed.model.parameters());
    resumedOptimizer.loadStateDict(savedOptimizer);
    for (let i = 0; i < 2; i++) {
      original.step(optimizer);
      resumed.step(resumedOptimizer);
    }
    for (const [key, t] of Object.entries(original.model.stateDict())) {
      expect(resumed.model.stateDict()[key].toFloat32Array(), key).toEqual(t.toFloat32Array());
    }
  });
});

describe('optimiser state dict', () => {
  it('names buffers as PyTorch does, per parameter index, with the step count', () => {
    const { model, step } = setup();
    const optimizer = new sn.optim.Adam(model.parameters());
    expect(optimizer.stateDict()).toEqual({});
    step(optimizer);
    const state = optimizer.stateDict();
    expect(Object.keys(state)).toContain('state.0.exp_avg_sq');
    expect(state['state.2.exp_avg'].shape).toEqual([2, 4]);
    expect(state['state.3.step'].item()).toBe(1);
  });

  it('refuses a state dict that does not fit, listing every problem and changing nothing', () => {
    const { model, step } = setup();
    const optimizer = new sn.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    step(optimizer);
    const before = optimizer.stateDict()['state.0.momentum_buffer'].toFloat32Array();
    const bad = {
      'state.0.step': sn.tensor(3),
      'state.0.momentum_buffer': sn.zeros([3, 4]),
      'state.1.step': sn.tensor(3),
      'state.9.exp_avg': sn.zeros([1]),
    };
    expect(() => optimizer.loadStateDict(bad)).toThrow(
      'SGD.loadStateDict: state.0.momentum_buffer: expected [4, 3], got [3, 4]; unexpected key state.9.exp_avg; missing key state.1.momentum_buffer');
    expect(optimizer.stateDict()['state.0.momentum_buffer'].toFloat32Array()).toEqual(before);
  });
});

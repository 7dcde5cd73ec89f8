import { describe, expect, it } from 'vitest';
import { memoryBytes } from '../bindings/memory.js';
import * as sn from '../src/index.js';

describe('wasm memory in a training loop', () => {
  it('stays flat over 10,000 steps of a loop that never calls dispose()', () => {
    sn.setBackend('wasm');
    sn.manualSeed(0);
    const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear } = sn.nn;
    const model = new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 10));
    const optimizer = new sn.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = sn.randn([8, 1, 8, 8]);
    const targets = [0, 1, 2, 3, 4, 5, 6, 7];
    let afterWarmUp = 0;
    for (let step = 1; step <= 10_000; step++) {
      optimizer.zeroGrad();
      const loss = sn.F.crossEntropy(model.forward(x), targets);
      loss.backward();
      optimizer.step();
      if (step === 500) afterWarmUp = memoryBytes();
    }
    expect(memoryBytes()).toBe(afterWarmUp);
  }, 120_000);
});

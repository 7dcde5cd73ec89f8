import { afterAll, describe, expect, it } from 'vitest';
import { memoryBytes } from '../bindings/memory.js';
import { MIN_PARALLEL_MICROSECONDS, RATES } from '../bindings/pool/split.js';
import * as sn from '../src/index.js';

const defaultThreads = sn.getNumThreads();
afterAll(() => sn.setNumThreads(defaultThreads));

describe('wasm memory in a training loop', () => {
  it('stays flat over 10,000 threaded steps of a loop that never calls dispose()', async () => {
    sn.setBackend('wasm');
    await sn.setNumThreads(2);
    sn.manualSeed(0);
    const { Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear } = sn.nn;
    // The convolution is large enough to be split across the threads (forward by images, the weight
    // gradient in two chunks of 8 images with partial sums); the rest of the step stays on one thread.
    const [batch, k, out, r] = [16, 16, 20, 5];
    expect(2 * batch * k * out * out * r * r / RATES.flops).toBeGreaterThanOrEqual(MIN_PARALLEL_MICROSECONDS);
    const model = new Sequential(new Conv2d(1, k, r), new ReLU(), new MaxPool2d(4), new Flatten(), new Linear(k * 5 * 5, 10));
    const optimizer = new sn.optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = sn.randn([batch, 1, out + r - 1, out + r - 1]);
    const targets = Array.from({ length: batch }, (_, i) => i % 10);
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

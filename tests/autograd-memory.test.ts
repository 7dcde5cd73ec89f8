import { describe, expect, it } from 'vitest';
import { memoryBytes } from '../bindings/memory.js';
import * as sn from '../src/index.js';

describe('wasm memory when a tensor feeds several ops (fan-out, as in residual networks)', () => {
  it('stays flat: the gradients summed for the shared tensor are freed by backward()', () => {
    const w = sn.randn([64, 64]);
    w.requiresGrad = true;
    const x = sn.randn([256, 64]);
    const optimizer = new sn.optim.SGD([w], { lr: 1e-3 });
    let warm = 0;
    for (let step = 0; step < 400; step++) {
      optimizer.zeroGrad();
      const h = sn.matmul(x, w);
      h.releaseAfterBackward = true; // as Sequential and the ONNX module mark their intermediates
      const r = sn.F.relu(h);
      r.releaseAfterBackward = true;
      sn.mul(sn.add(r, h), sn.add(h, h)).sum().backward(); // h's gradient is summed from three uses
      optimizer.step();
      if (step === 100) warm = memoryBytes();
    }
    expect(memoryBytes()).toBe(warm);
  });
});

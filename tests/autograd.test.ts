import { afterEach, describe, expect, it } from 'vitest';
import { recordOp } from '../src/autograd.js';
import * as sn from '../src/index.js';

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('autograd on the %s backend', (backend) => {
  const leaf = (values: number[], shape?: number[]) => {
    sn.setBackend(backend);
    const t = sn.tensor(values, shape);
    t.requiresGrad = true;
    return t;
  };

  it('sums the gradients of a tensor used twice (fan-out)', () => {
    const x = leaf([1, 2, 3]);
    sn.add(sn.mul(x, x), x).sum().backward(); // d/dx (x² + x) = 2x + 1
    expect(Array.from(x.grad!.toFloat32Array())).toEqual([3, 5, 7]);
  });

  it('accumulates into .grad over two backward passes until zeroed', () => {
    const x = leaf([1, 2]);
    sn.mul(x, 3).sum().backward();
    sn.mul(x, 3).sum().backward();
    expect(Array.from(x.grad!.toFloat32Array())).toEqual([6, 6]);
  });

  it('takes the gradient of a non-scalar from the caller and leaves the caller\'s tensor intact', () => {
    const x = leaf([1, 2, 3, 4, 5, 6], [6]);
    const g = sn.tensor([1, 1, 1, 2, 2, 2], [2, 3]);
    x.reshape(2, 3).backward(g);
    expect(Array.from(x.grad!.toFloat32Array())).toEqual([1, 1, 1, 2, 2, 2]);
    x.grad = undefined;
    x.reshape(2, 3).backward(g);
    expect(Array.from(g.toFloat32Array())).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('keeps a gradient buffer that a rule hands to two inputs valid for both', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    for (let pass = 0; pass < 2; pass++) {
      const y = recordOp('passBoth', sn.noGrad(() => sn.add(a, b)), [a, b], (g) => [g, g]);
      sn.mul(y, 2).sum().backward();
    }
    expect(a.grad).not.toBe(b.grad);
    expect(Array.from(a.grad!.toFloat32Array())).toEqual([4, 4]);
    expect(Array.from(b.grad!.toFloat32Array())).toEqual([4, 4]);
  });

  it('records nothing inside noGrad and through detach()', () => {
    const x = leaf([1, 2]);
    expect(sn.noGrad(() => sn.mul(x, 2)).requiresGrad).toBe(false);
    expect(sn.mul(x.detach(), 2).requiresGrad).toBe(false);
    expect(sn.mul(x, 2).requiresGrad).toBe(true);
  });

  it('keeps the model output and the loss readable after backward', () => {
    const w = leaf([0.5, -1, 2, 0.25], [2, 2]);
    const out = sn.matmul(sn.tensor([[1, 2]]), w);
    const loss = out.sum();
    loss.backward();
    expect(out.toArray()).toEqual([[4.5, -0.5]]);
    expect(loss.item()).toBe(4);
    expect(sn.add(out, 1).toArray()).toEqual([[5.5, 0.5]]);
  });

  it('refuses backward on a non-scalar without a gradient, naming the shape', () => {
    const x = leaf([1, 2, 3]);
    expect(() => sn.mul(x, 2).backward()).toThrow('backward: grad can be implicitly created only for scalar outputs; got shape [3], pass a gradient of that shape');
    expect(() => sn.mul(x, 2).backward(sn.ones([2]))).toThrow('backward: gradient of shape [2] given for a tensor of shape [3]');
    expect(() => sn.tensor([1]).backward()).toThrow('backward: the tensor does not require grad');
  });
});

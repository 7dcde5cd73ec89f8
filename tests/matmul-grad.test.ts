import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const input = (shape: number[], seed: number) => ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed), shape });

// [a shape, b shape]: matrices, 1-D on either or both sides, batches, and broadcast batches (the
// gradient of a broadcast operand accumulates over the items that share it).
const cases: [number[], number[]][] = [
  [[3, 4], [4, 5]], [[1, 1], [1, 1]], [[4], [4]], [[4], [4, 3]], [[3, 4], [4]], [[2, 3, 4], [4, 5]], [[3, 4], [2, 4, 5]],
  [[2, 1, 3, 4], [3, 4, 2]], [[2, 3, 4], [4]], [[5], [2, 5, 3]],
];

describe('matmul gradients', () => {
  it.each(cases)('match finite differences for %j · %j', (aShape, bShape) => {
    gradcheck(sn.matmul, [input(aShape, 1), input(bShape, 2)], { name: `matmul ${aShape} ${bShape}` });
  });

  it('agree on wasm and ts, including awkward sizes that cross the GEMM tiles', () => {
    let seed = 10;
    for (const [aShape, bShape] of [...cases, [[17, 63], [63, 65]], [[65, 7], [7, 3]], [[3, 7, 17], [17, 9]]] as [number[], number[]][]) {
      compareBackends(sn.matmul, [input(aShape, seed++), input(bShape, seed++)], { name: `matmul ${aShape} ${bShape}`, atol: 1e-5 });
    }
  });

  it('flow only to the operands that require them', () => {
    const a = sn.tensor([[1, 2], [3, 4]]);
    const b = sn.tensor([[1, 0], [0, 1]]);
    b.requiresGrad = true;
    sn.matmul(a, b).sum().backward();
    expect(a.grad).toBeUndefined();
    expect(b.grad?.toArray()).toEqual([[4, 4], [6, 6]]); // Aᵀ·1
  });

  it('accumulate into a broadcast operand over every batch item that used it', () => {
    const a = sn.ones([3, 2, 2]);
    const w = sn.tensor([[1, 2], [3, 4]]);
    w.requiresGrad = true;
    sn.matmul(a, w).sum().backward();
    expect(w.grad?.toArray()).toEqual([[6, 6], [6, 6]]); // three items, each Aᵀ·1 = 2
  });
});

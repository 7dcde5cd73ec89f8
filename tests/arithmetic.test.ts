import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { broadcastLayout } from '../src/backend/broadcast.js';
import { sumToShape } from '../src/ops/reduce.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const ops = { add: sn.add, sub: sn.sub, mul: sn.mul, div: sn.div } as const;
type OpName = keyof typeof ops;
const scalarOps: Record<OpName, (x: number, y: number) => number> = {
  add: (x, y) => x + y, sub: (x, y) => x - y, mul: (x, y) => x * y, div: (x, y) => x / y,
};

/** Broadcast a ∘ b by coordinates, in f64 rounded once to f32 (what IEEE f32 arithmetic gives). */
function reference(op: OpName, a: Float32Array, aShape: number[], b: Float32Array, bShape: number[], out: number[]): Float32Array {
  const index = (shape: number[], coords: number[]) => {
    let idx = 0;
    shape.forEach((d, i) => { idx = idx * d + (d === 1 ? 0 : coords[coords.length - shape.length + i]); });
    return idx;
  };
  const size = out.reduce((x, y) => x * y, 1);
  const result = new Float32Array(size);
  for (let e = 0; e < size; e++) {
    const coords: number[] = [];
    for (let d = out.length - 1, rest = e; d >= 0; d--) { coords.unshift(rest % out[d]); rest = Math.floor(rest / out[d]); }
    result[e] = scalarOps[op](a[index(aShape, coords)], b[index(bShape, coords)]);
  }
  return result;
}

/** Operand values away from 0 so that div is well conditioned. */
function operand(n: number, seed: number): Float32Array {
  return randomValues(n, seed).map((v) => (v < 0 ? v - 0.5 : v + 0.5));
}

// [a shape, b shape, result shape]: same shape, scalars either side, row broadcast (bias over rows),
// channel broadcast ([C, 1, 1] over NCHW), outer products and unmergeable rank-6 layouts.
const cases: [number[], number[], number[]][] = [
  ...[1, 3, 7, 17, 63, 65].map((n): [number[], number[], number[]] => [[n], [n], [n]]),
  [[2, 3, 5], [2, 3, 5], [2, 3, 5]],
  [[65], [], [65]], [[], [17], [17]], [[7], [1], [7]], [[1], [63], [63]],
  [[4, 17], [17], [4, 17]], [[3, 65], [1, 65], [3, 65]], [[5], [3, 5], [3, 5]],
  [[2, 3, 4, 5], [3, 1, 1], [2, 3, 4, 5]], [[3, 1, 1], [2, 3, 4, 5], [2, 3, 4, 5]],
  [[2, 7, 3, 3], [1, 7, 1, 1], [2, 7, 3, 3]],
  [[7, 1], [1, 9], [7, 9]], [[2, 1, 3], [4, 1], [2, 4, 3]], [[17, 1], [17, 5], [17, 5]],
  [[2, 1, 3, 1, 2, 1], [1, 3, 1, 2, 1, 3], [2, 3, 3, 2, 2, 3]],
  // Ten unmergeable dimensions: more than the strided kernel's eight.
  [[2, 1, 2, 1, 2, 1, 2, 1, 2, 1], [1, 2, 1, 2, 1, 2, 1, 2, 1, 3], [2, 2, 2, 2, 2, 2, 2, 2, 2, 3]],
  [[0, 3], [3], [0, 3]],
];

describe('broadcasting arithmetic', () => {
  it.each(Object.keys(ops) as OpName[])('%s matches the IEEE f32 result exactly on both backends for every broadcast case', (op) => {
    let seed = 1;
    for (const [aShape, bShape, outShape] of cases) {
      const a = operand(aShape.reduce((x, y) => x * y, 1), seed++);
      const b = operand(bShape.reduce((x, y) => x * y, 1), seed++);
      const expected = reference(op, a, aShape, b, bShape, outShape);
      for (const backend of ['wasm', 'ts'] as const) {
        sn.setBackend(backend);
        const y = ops[op](sn.tensor(a, aShape), sn.tensor(b, bShape));
        expect(y.shape, `${op} ${backend} ${aShape} ${bShape}`).toEqual(outShape);
        expect(y.toFloat32Array(), `${op} ${backend} ${aShape} ${bShape}`).toEqual(expected);
      }
    }
  });

  it('accepts a number on either side', () => {
    const x = sn.tensor([1, 2, 4, 8, -1, 0.5, 3]);
    expect(Array.from(sn.add(x, 1).toFloat32Array())).toEqual([2, 3, 5, 9, 0, 1.5, 4]);
    expect(Array.from(sn.sub(10, x).toFloat32Array())).toEqual([9, 8, 6, 2, 11, 9.5, 7]);
    expect(Array.from(sn.div(x, 2).toFloat32Array())).toEqual([0.5, 1, 2, 4, -0.5, 0.25, 1.5]);
    expect(Array.from(sn.div(8, x).toFloat32Array())).toEqual([8, 4, 2, 1, -8, 16, 8 / 3].map(Math.fround));
    expect(sn.mul(3, 4).item()).toBe(12);
  });

  it('follows PyTorch for hand-worked values: bias over rows, division by zero, NaN', () => {
    const m = sn.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(sn.add(m, sn.tensor([10, 20, 30])).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(sn.mul(m, sn.tensor([[2], [-1]])).toArray()).toEqual([[2, 4, 6], [-4, -5, -6]]);
    expect(sn.div(sn.tensor([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
    expect(sn.add(sn.tensor([NaN, 1]), 1).toArray()).toEqual([NaN, 2]);
  });

  it('merges dimensions that walk memory alike into the layout the kernels run', () => {
    expect(broadcastLayout([4, 17], [17], [4, 17])).toEqual({ dims: [4, 17], aStrides: [17, 1], bStrides: [0, 1] });
    expect(broadcastLayout([2, 3, 4, 5], [3, 1, 1], [2, 3, 4, 5])).toEqual({ dims: [2, 3, 20], aStrides: [60, 20, 1], bStrides: [0, 1, 0] });
    expect(broadcastLayout([2, 3, 5], [2, 3, 5], [2, 3, 5])).toEqual({ dims: [30], aStrides: [1], bStrides: [1] });
    expect(broadcastLayout([65], [], [65])).toEqual({ dims: [65], aStrides: [1], bStrides: [0] });
    expect(broadcastLayout([1, 1], [1], [1, 1])).toEqual({ dims: [1], aStrides: [0], bStrides: [0] });
  });
});

describe('gradients of broadcasting arithmetic', () => {
  const gradCases: [number[], number[]][] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 3, 2, 2], [3, 1, 1]], [[5, 1], [1, 3]], [[], [2, 3]], [[1, 3], [2, 1, 3]]];

  it.each(Object.keys(ops) as OpName[])('%s sums the gradient back to each operand shape (finite differences)', (op) => {
    let seed = 10;
    for (const [aShape, bShape] of gradCases) {
      const a = { values: operand(aShape.reduce((x, y) => x * y, 1), seed++), shape: aShape };
      const b = { values: operand(bShape.reduce((x, y) => x * y, 1), seed++), shape: bShape };
      gradcheck(ops[op], [a, b], { name: `${op} ${aShape} ${bShape}` });
    }
  });

  it.each(Object.keys(ops) as OpName[])('%s gives the same values and gradients on wasm and ts', (op) => {
    let seed = 30;
    for (const [aShape, bShape] of [...gradCases, [[63, 65], [65]], [[2, 17, 3, 3], [17, 1, 1]]] as [number[], number[]][]) {
      const a = { values: operand(aShape.reduce((x, y) => x * y, 1), seed++), shape: aShape };
      const b = { values: operand(bShape.reduce((x, y) => x * y, 1), seed++), shape: bShape };
      compareBackends(ops[op], [a, b], { name: `${op} ${aShape} ${bShape}` });
    }
  });

  it('gives two same-shape operands of add gradients that outlive the rest of backward', () => {
    for (const backend of ['wasm', 'ts'] as const) {
      sn.setBackend(backend);
      const x = sn.tensor([1, 2, 3]);
      const w = sn.tensor([-1, 2, -3]);
      x.requiresGrad = true;
      w.requiresGrad = true;
      sn.add(sn.F.relu(w), x).sum().backward();
      expect(x.grad?.toArray()).toEqual([1, 1, 1]);
      expect(w.grad?.toArray()).toEqual([0, 1, 0]);
    }
  });

  it('accumulates the gradient of a tensor used on both sides and with a number operand', () => {
    const x = sn.tensor([1, 2, 3]);
    x.requiresGrad = true;
    sn.sum(sn.mul(sn.add(x, 1), x)).backward(); // d/dx (x² + x) = 2x + 1
    expect(x.grad?.toArray()).toEqual([3, 5, 7]);
  });
});

describe.each(['wasm', 'ts'] as const)('sumToShape on the %s backend', (backend) => {
  it('sums leading and size-1 dimensions away, one pass per run of summed dimensions', () => {
    sn.setBackend(backend);
    const g = sn.tensor(Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i % 7), [2, 3, 4, 5]);
    const values = g.toFloat32Array();
    const expectSum = (shape: number[], pick: (n: number, c: number, h: number, w: number) => number) => {
      const out = new Float32Array(shape.reduce((x, y) => x * y, 1));
      for (let n = 0; n < 2; n++) for (let c = 0; c < 3; c++) for (let h = 0; h < 4; h++) for (let w = 0; w < 5; w++) {
        out[pick(n, c, h, w)] += values[((n * 3 + c) * 4 + h) * 5 + w];
      }
      const got = sumToShape(g, shape);
      expect(got.shape).toEqual(shape);
      expect(got.toFloat32Array()).toEqual(out);
    };
    expectSum([3, 1, 1], (_n, c) => c);
    expectSum([5], (_n, _c, _h, w) => w);
    expectSum([2, 1, 4, 1], (n, _c, h) => n * 4 + h);
    expectSum([], () => 0);
    expectSum([1, 3, 4, 5], (_n, c, h, w) => (c * 4 + h) * 5 + w);
    expect(sumToShape(g, [2, 3, 4, 5])).toBe(g);
    expect(() => sumToShape(g, [3, 1])).toThrow('sumToShape: shape [3, 1] does not broadcast to [2, 3, 4, 5]');
    expect(() => sumToShape(g, [1, 2, 3, 4, 5])).toThrow('sumToShape: shape [1, 2, 3, 4, 5] does not broadcast to [2, 3, 4, 5]');
  });
});

describe('bad input', () => {
  it('names the op and both shapes when shapes do not broadcast', () => {
    expect(() => sn.add(sn.zeros([2, 3]), sn.zeros([4]))).toThrow('add: shapes [2, 3] and [4] do not broadcast');
    expect(() => sn.div(sn.zeros([2, 3, 4]), sn.zeros([3, 3, 1]))).toThrow('div: shapes [2, 3, 4] and [3, 3, 1] do not broadcast');
  });

  it('refuses operands on different backends', () => {
    const w = sn.zeros([2]);
    sn.setBackend('ts');
    expect(() => sn.mul(w, sn.zeros([2]))).toThrow("mul: operands live on different backends ('wasm' and 'ts')");
  });

  it('refuses an operand that is neither a tensor nor a number', () => {
    expect(() => sn.sub(sn.zeros([2]), '1' as unknown as number)).toThrow('arithmetic: operands must be tensors or numbers, got string');
  });
});

import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Backend } from '../src/backend/index.js';
import type { Pool2dGeometry } from '../src/backend/pool-ops.js';
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { ptr } from '../src/backend/wasm/storage.js';
import { kernel, workspace } from './helpers/kernels.js';
import { pool2dGeometry, type Pool2dFunctionalOptions } from '../src/functional/pool2d.js';
import { Tensor } from '../src/tensor.js';
import { expectClose, randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';
import fixture from './fixtures/pool2d.json';

afterEach(() => sn.setBackend('wasm'));

type Pool = 'max' | 'avg';
const pools = { max: sn.F.maxPool2d, avg: sn.F.avgPool2d };

/** Forward and backward of one pooling on one backend, through the primitives. */
function run(backend: Backend, pool: Pool, g: Pool2dGeometry, x: Float32Array, dy: Float32Array): { y: Float32Array; dx: Float32Array } {
  const xs = backend.fromValues(x);
  const y = backend.alloc(g.n * g.c * g.outH * g.outW);
  const dx = backend.fromValues(randomValues(x.length, 99)); // garbage: backward must overwrite it
  if (pool === 'max') {
    backend.maxPool2dForward(y, xs, g);
    backend.maxPool2dBackward(dx, backend.fromValues(dy), xs, g);
  } else {
    backend.avgPool2dForward(y, xs, g);
    backend.avgPool2dBackward(dx, backend.fromValues(dy), g);
  }
  return { y: backend.read(y), dx: backend.read(dx) };
}

/** Input values of a kind: distinct, small integers (many ties), or ties with NaN and ±∞ mixed in. */
function inputValues(size: number, kind: 'random' | 'ties' | 'special', seed: number): Float32Array {
  const v = randomValues(size, seed);
  if (kind === 'random') return v;
  return v.map((r, i) => {
    if (kind === 'special' && Math.abs(r) > 0.97) return [NaN, Infinity, -Infinity][i % 3]; // some planes get none
    return Math.round(r * 2) + 0; // + 0 turns −0 into +0
  });
}

const configs = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  c: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 33 }),
  w: fc.integer({ min: 1, max: 33 }),
  kernel: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  // Padding as a fraction of its limit, kernel/2.
  padding: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
  kind: fc.constantFrom('random', 'ties', 'special'),
}).map((o) => {
  const padding: [number, number] = [Math.floor(o.padding[0] * (o.kernel[0] / 2 + 0.5)), Math.floor(o.padding[1] * (o.kernel[1] / 2 + 0.5))];
  const kernel: [number, number] = [Math.min(o.kernel[0], o.h + 2 * padding[0]), Math.min(o.kernel[1], o.w + 2 * padding[1])];
  return { ...o, kernel, padding };
}).filter((o) => 2 * o.padding[0] <= o.kernel[0] && 2 * o.padding[1] <= o.kernel[1]);

describe('wasm pooling kernels', () => {
  it.each(['max', 'avg'] as const)('agree bit for bit with the ts backend on random %s-pooling configurations, forward and backward', (pool) => {
    let seed = 1;
    fc.assert(fc.property(configs, (o) => {
      const g = pool2dGeometry([o.n, o.c, o.h, o.w], { kernelSize: o.kernel, stride: o.stride, padding: o.padding });
      const x = inputValues(o.n * o.c * o.h * o.w, o.kind, seed++);
      const dy = randomValues(g.n * g.c * g.outH * g.outW, seed++);
      const wasm = run(wasmBackend, pool, g, x, dy);
      const ts = run(tsBackend, pool, g, x, dy);
      expect(wasm.y).toEqual(ts.y);
      expect(wasm.dx).toEqual(ts.dx);
    }), { numRuns: 150, seed: 7 });
  });

  // Each micro-kernel (2×2 stride 2, stride 1, stride 2, wide kernels, scalar) with rows long enough for
  // several vector groups, a partial last group and padded edges.
  const paths: [string, number, number, number, number, number][] = [
    ['2x2 stride 2, even sizes', 16, 32, 2, 2, 0], ['2x2 stride 2, odd sizes', 17, 35, 2, 2, 0],
    ['3x3 stride 1, padding 1', 9, 30, 3, 1, 1], ['4x4 stride 1, padding 2', 8, 29, 4, 1, 2],
    ['3x3 stride 2, padding 1', 11, 37, 3, 2, 1], ['2x2 stride 2, padding 1', 10, 34, 2, 2, 1], ['4x4 stride 2', 9, 40, 4, 2, 0],
    ['5x5 stride 1, padding 2 (taps beyond 4)', 12, 29, 5, 1, 2], ['6x6 stride 2, padding 3 (taps beyond 4)', 14, 37, 6, 2, 3],
    ['3x3 stride 3 (scalar)', 10, 31, 3, 3, 1],
  ];
  it.each(paths)('agree with the ts backend on every SIMD path: %s', (_, h, w, k, s, padding) => {
    const g = pool2dGeometry([2, 3, h, w], { kernelSize: k, stride: s, padding });
    for (const kind of ['random', 'ties', 'special'] as const) {
      const x = inputValues(2 * 3 * h * w, kind, h * w + k);
      const dy = randomValues(g.n * g.c * g.outH * g.outW, s);
      for (const pool of ['max', 'avg'] as const) {
        const wasm = run(wasmBackend, pool, g, x, dy);
        const ts = run(tsBackend, pool, g, x, dy);
        expect(wasm.y, `${pool} ${kind} forward`).toEqual(ts.y);
        expect(wasm.dx, `${pool} ${kind} backward`).toEqual(ts.dx);
      }
    }
  });

  it('pool only the planes of the range they are given', () => {
    const g = pool2dGeometry([1, 3, 6, 6], { kernelSize: 2 });
    const x = wasmBackend.fromValues(randomValues(3 * 36, 5));
    const y = wasmBackend.fromValues(new Float32Array(27).fill(7));
    const work = workspace(kernel('pool2dWorkspaceBytes')(g.h, g.w, g.padW));
    kernel('f32MaxPool2dForward')(ptr(y), ptr(x), g.h, g.w, g.kernelH, g.kernelW, g.strideH, g.strideW, g.padH, g.padW, g.outH, g.outW, 1, 2, work);
    const full = wasmBackend.alloc(27);
    wasmBackend.maxPool2dForward(full, x, g);
    const got = wasmBackend.read(y);
    expect(Array.from(got.subarray(0, 9))).toEqual(Array(9).fill(7));
    expect(got.subarray(9, 18)).toEqual(wasmBackend.read(full).subarray(9, 18));
    expect(Array.from(got.subarray(18))).toEqual(Array(9).fill(7));
  });
});

describe.each(['wasm', 'ts'] as const)('pooling on the %s backend', (name) => {
  // x = 1…16 as a 4×4 image; kernel 3, stride 2, padding 1 → 2×2 windows over rows/columns
  // {0, 1} and {1, 2, 3} (the padding row/column −1 holds −∞ for max, 0 for avg).
  const x = () => sn.tensor(Array.from({ length: 16 }, (_, i) => i + 1), [1, 1, 4, 4]);
  const options: Pool2dFunctionalOptions = { kernelSize: 3, stride: 2, padding: 1 };
  const gy = () => sn.tensor([1, 2, 3, 4], [1, 1, 2, 2]);

  it('max-pools a worked 4×4 example and routes the gradient to each maximum', () => {
    sn.setBackend(name);
    const input = x();
    input.requiresGrad = true;
    const y = sn.F.maxPool2d(input, options);
    // Windows: {1,2,5,6} → 6, {2,3,4,6,7,8} → 8, {5,6,9,10,13,14} → 14, {6,7,8,10,11,12,14,15,16} → 16.
    expect(y.toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    y.backward(gy());
    expect(input.grad?.toArray()).toEqual([[[[0, 0, 0, 0], [0, 1, 0, 2], [0, 0, 0, 0], [0, 3, 0, 4]]]]);
  });

  it('average-pools the same example dividing by 9 with the padding counted as zeros', () => {
    sn.setBackend(name);
    const input = x();
    input.requiresGrad = true;
    const y = sn.F.avgPool2d(input, options);
    // Sums: 1+2+5+6 = 14, 2+3+4+6+7+8 = 30, 5+6+9+10+13+14 = 57, 6+7+8+10+11+12+14+15+16 = 99.
    expectClose(y.toFloat32Array(), [14 / 9, 30 / 9, 57 / 9, 11], () => 1e-6, 'avg forward');
    y.backward(gy());
    // Each element collects gy/9 from every window holding it, e.g. (1, 1) is in all four: 10/9.
    const expected = [1, 3, 2, 2, 4, 10, 6, 6, 3, 7, 4, 4, 3, 7, 4, 4].map((v) => v / 9);
    expectClose(input.grad!.toFloat32Array(), expected, () => 1e-6, 'avg backward');
  });

  it('sends the gradient of tied windows to their first element, as PyTorch does', () => {
    sn.setBackend(name);
    const input = sn.ones([1, 1, 3, 3]);
    input.requiresGrad = true;
    sn.F.maxPool2d(input, { kernelSize: 2, stride: 1 }).sum().backward();
    expect(input.grad?.toArray()).toEqual([[[[1, 1, 0], [1, 1, 0], [0, 0, 0]]]]);
  });

  it('treats NaN as the maximum and sends the gradient to the last NaN of a window, as PyTorch does', () => {
    sn.setBackend(name);
    const input = sn.tensor([NaN, 1, NaN, 1, NaN, 1, 1, 1, 1], [1, 1, 3, 3]);
    input.requiresGrad = true;
    const y = sn.F.maxPool2d(input, { kernelSize: 3, stride: 1, padding: 1 });
    expect(Array.from(y.toFloat32Array()).every(Number.isNaN)).toBe(true);
    y.sum().backward();
    expect(input.grad?.toArray()).toEqual([[[[0, 0, 0], [0, 9, 0], [0, 0, 0]]]]);
  });

  it('matches PyTorch bit for bit on every fixture configuration, forward and backward', () => {
    sn.setBackend(name);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(12);
    const f32 = (values: (number | string)[]) => Array.from(Float32Array.from(values, Number)); // "NaN", "Infinity"
    for (const c of fixture.cases) {
      const what = `${c.op} ${JSON.stringify([c.shape, c.kernelSize, c.stride, c.padding])} ${c.kind}`;
      const input = sn.tensor(f32(c.x), c.shape);
      input.requiresGrad = true;
      const y = pools[c.op as Pool](input, { kernelSize: c.kernelSize as number, stride: c.stride as number, padding: c.padding as number });
      expect(y.shape, what).toEqual(c.outShape);
      y.backward(sn.tensor(f32(c.gy), c.outShape));
      expect(Array.from(y.toFloat32Array()), `${what} forward`).toEqual(f32(c.y));
      expect(Array.from(input.grad!.toFloat32Array()), `${what} backward`).toEqual(f32(c.dx));
    }
  });
});

describe('pooling gradients', () => {
  it('of avgPool2d match finite differences (ts backend)', () => {
    for (const options of [{ kernelSize: 3, stride: 2, padding: 1 }, { kernelSize: [2, 3], stride: 1 }, { kernelSize: 2 }] as Pool2dFunctionalOptions[]) {
      gradcheck((x) => sn.F.avgPool2d(x, options), [{ values: randomValues(2 * 2 * 7 * 6, 3), shape: [2, 2, 7, 6] }], { name: `avgPool2d ${JSON.stringify(options)}` });
    }
  });

  it('of maxPool2d match finite differences on inputs without ties (ts backend)', () => {
    // Distinct values 0.1 apart, shuffled: a perturbation of 0.01 never changes a window's argmax.
    const size = 2 * 2 * 7 * 6;
    const order = randomValues(size, 4);
    const values = Array.from({ length: size }, (_, i) => i).sort((a, b) => order[a] - order[b]).map((v) => v * 0.1 - 8);
    for (const options of [{ kernelSize: 3, stride: 2, padding: 1 }, { kernelSize: [2, 3], stride: 1 }, { kernelSize: 2 }] as Pool2dFunctionalOptions[]) {
      gradcheck((x) => sn.F.maxPool2d(x, options), [{ values, shape: [2, 2, 7, 6] }], { name: `maxPool2d ${JSON.stringify(options)}` });
    }
  });

  it('flow on both backends through the autograd graph to the same values', () => {
    const x = randomValues(2 * 3 * 9 * 11, 8);
    const grads = (['wasm', 'ts'] as const).map((name) => {
      sn.setBackend(name);
      const input = sn.tensor(x, [2, 3, 9, 11]);
      input.requiresGrad = true;
      const y = sn.F.avgPool2d(sn.F.maxPool2d(input, { kernelSize: 3, stride: 1, padding: 1 }), { kernelSize: 2 });
      y.backward(sn.tensor(randomValues(y.size, 9), y.shape));
      return input.grad!.toFloat32Array();
    });
    expect(grads[0]).toEqual(grads[1]);
  });
});

describe('pooling rejects bad input', () => {
  const x = new Tensor(wasmBackend.alloc(2 * 3 * 5 * 5), [2, 3, 5, 5], wasmBackend);
  const cases: [string, Tensor, Pool2dFunctionalOptions, RegExp][] = [
    ['a 3-D input', new Tensor(wasmBackend.alloc(75), [3, 5, 5], wasmBackend), { kernelSize: 2 }, /input must be 4-D.*\[3, 5, 5\]/],
    ['a kernel larger than the padded input', x, { kernelSize: 6, padding: 0 }, /kernelSize=\[6, 6\] is larger than the input 5×5 with padding=\[0, 0\].*\[2, 3, 5, 5\]/],
    ['a zero stride', x, { kernelSize: 2, stride: 0 }, /stride=0 must be a positive integer/],
    ['a negative stride', x, { kernelSize: 2, stride: [1, -1] }, /stride=\[1,-1\] must be a positive integer/],
    ['a zero kernel', x, { kernelSize: 0 }, /kernelSize=0 must be a positive integer/],
    ['padding above half the kernel', x, { kernelSize: 3, padding: 2 }, /padding=\[2, 2\] must be at most half of kernelSize=\[3, 3\]/],
    ['negative padding', x, { kernelSize: 3, padding: -1 }, /padding=-1 must be a non-negative integer/],
    ['a fractional kernel', x, { kernelSize: 2.5 }, /kernelSize=2.5 must be a positive integer/],
    ['a fractional stride', x, { kernelSize: 2, stride: [1, 1.5] }, /stride=\[1,1.5\] must be a positive integer/],
  ];
  it.each(cases)('%s, naming the op, the shape and the option', (_, input, options, message) => {
    for (const [op, fn] of [['maxPool2d', sn.F.maxPool2d], ['avgPool2d', sn.F.avgPool2d]] as const) {
      expect(() => fn(input, options)).toThrow(sn.SimdnnError);
      expect(() => fn(input, options)).toThrow(new RegExp(`^${op}: .*${message.source}`));
    }
  });
});

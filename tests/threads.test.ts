import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import type { GemmArgs } from '../src/backend/index.js';
import type { Pool2dGeometry } from '../src/backend/pool-ops.js';
import { wasmBackend as backend } from '../src/backend/wasm/index.js';
import { conv2dGeometry, type Conv2dFunctionalOptions } from '../src/functional/conv2d.js';
import { pool2dGeometry, type Pool2dFunctionalOptions } from '../src/functional/pool2d.js';
import { MIN_PARALLEL_MICROSECONDS, RATES, chunkSize } from '../bindings/pool/split.js';
import { randomValues } from './helpers/data.js';
import { seededTrainingOnThreads } from './helpers/seeded-training.js';

/**
 * Issue #9: results never depend on the thread count. Every case computes the same thing at 1, 2, 3
 * and 8 threads and compares the raw f32 bits with the 1-thread result. Each operation is sized
 * above the pool's MIN_PARALLEL_MICROSECONDS (estimated from its work and the pool's RATES), so at
 * more than one thread it really is cut into chunks.
 */
const THREAD_COUNTS = [1, 2, 3, 8];
const defaultThreads = sn.getNumThreads();

beforeAll(() => sn.setBackend('wasm'));
afterAll(() => sn.setNumThreads(defaultThreads));

/** Where `actual` and `expected` differ in their bits (the first index, and how many), or undefined. */
function firstBitDifference(actual: Float32Array, expected: Float32Array): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length}, expected ${expected.length}`;
  const [a, e] = [new Uint32Array(actual.buffer, actual.byteOffset, actual.length), new Uint32Array(expected.buffer, expected.byteOffset, expected.length)];
  const differ = a.reduce((count, bits, j) => count + Number(bits !== e[j]), 0);
  const i = a.findIndex((bits, j) => bits !== e[j]);
  return i < 0 ? undefined : `index ${i}: ${actual[i]}, expected ${expected[i]} (${differ} of ${a.length} differ)`;
}

/**
 * Runs `compute` (which returns named outputs) at each thread count; expects that the split happens
 * (`units` cut into more than one chunk for `work` done at `rate` per µs) and every output has the
 * 1-thread bits, those of one unsplit kernel call.
 */
async function expectSameBitsAtEveryThreadCount(units: number, work: number, rate: number, compute: () => Record<string, Float32Array>): Promise<void> {
  expect(work / rate).toBeGreaterThanOrEqual(MIN_PARALLEL_MICROSECONDS);
  let reference: Record<string, Float32Array> | undefined;
  for (const threads of THREAD_COUNTS) {
    await sn.setNumThreads(threads);
    expect(sn.getNumThreads()).toBe(threads);
    if (threads > 1) expect(chunkSize(units, work, rate)).toBeLessThan(units);
    else expect(chunkSize(units, work, rate)).toBe(units);
    const outputs = compute();
    reference ??= outputs;
    for (const [name, values] of Object.entries(outputs)) {
      expect(firstBitDifference(values, reference[name]), `${name} at ${threads} threads`).toBeUndefined();
    }
  }
}

// The browser project's server sends COOP/COEP headers (vitest.config.ts), so its pages can share
// wasm memory with workers and every case below runs threaded there as well.
it.runIf(typeof window !== 'undefined')('run threaded in the browser: the test page is cross-origin isolated', async () => {
  expect(globalThis.crossOriginIsolated).toBe(true);
  await sn.setNumThreads(2);
  expect(sn.getNumThreads()).toBe(2);
});

// GEMM and convolutions run either kernel variant (issue #13): the same bits at every thread count in both.
const KERNEL_MODES: [string, boolean][] = [['the default relaxed-SIMD kernels', false], ['the portable kernels (useDeterministicAlgorithms)', true]];

/** Runs a describe block's cases with the kernel variant of `deterministic`. */
function inKernelMode(deterministic: boolean): void {
  beforeAll(() => sn.useDeterministicAlgorithms(deterministic));
  afterAll(() => sn.useDeterministicAlgorithms(false));
}

describe.each(KERNEL_MODES)('GEMM at any thread count, with %s', (_, deterministic) => {
  inKernelMode(deterministic);
  // 268 columns end in a narrow panel of 4 (the relaxed build pairs row panels there, which a row split moves).
  const [m, n, k] = [257, 268, 129];
  const cases: [string, Pick<GemmArgs, 'transA' | 'transB' | 'accumulate' | 'relu'> & { bias?: 'row' | 'col' }][] = [
    ['A·B', {}],
    ['Aᵀ·B', { transA: true }],
    ['A·Bᵀ', { transB: true }],
    ['Aᵀ·Bᵀ', { transA: true, transB: true }],
    ['C + A·B + column bias, ReLU', { accumulate: true, bias: 'col', relu: true }],
    ['Aᵀ·B + row bias', { transA: true, bias: 'row' }],
  ];
  it.each(cases)(`gives the same bits for %s at ${m}×${n}×${k}`, async (_, { bias, ...options }) => {
    const [a, b, c0] = [randomValues(m * k, 1), randomValues(k * n, 2), randomValues(m * n, 3)];
    const biasValues = randomValues(bias === 'row' ? m : n, 4);
    await expectSameBitsAtEveryThreadCount(m, 2 * m * n * k, RATES.flops, () => {
      const c = backend.fromValues(c0);
      const biasArg = bias && { values: backend.fromValues(biasValues), axis: bias };
      backend.gemm({ a: backend.fromValues(a), b: backend.fromValues(b), c, m, n, k, bias: biasArg, ...options });
      return { c: backend.read(c) };
    });
  });
});

describe.each(KERNEL_MODES)('conv2d at any thread count, with %s', (_, deterministic) => {
  inKernelMode(deterministic);
  type Shape = { n: number; c: number; h: number; w: number; k: number; r: number; s: number } & Conv2dFunctionalOptions;
  const cases: [string, Shape][] = [
    ['direct path: 3 channels, 3×3, padding 1', { n: 19, c: 3, h: 33, w: 31, k: 8, r: 3, s: 3, padding: 1 }],
    ['direct path: 2 groups of 6 channels, 5×5, stride (2, 1)', { n: 19, c: 12, h: 27, w: 25, k: 10, r: 5, s: 5, stride: [2, 1], groups: 2 }],
    ['general path: 3×3, stride 2, padding 1', { n: 19, c: 5, h: 31, w: 29, k: 24, r: 3, s: 3, stride: 2, padding: 1 }],
    ['general path: 3 groups, 5×5, stride 2, padding 2', { n: 19, c: 21, h: 23, w: 27, k: 15, r: 5, s: 5, stride: 2, padding: 2, groups: 3 }],
    ['general path: 18 channels per group, 3×3', { n: 19, c: 36, h: 15, w: 13, k: 12, r: 3, s: 3, groups: 2 }],
    ['depthwise 3×3, padding 1', { n: 19, c: 16, h: 33, w: 31, k: 16, r: 3, s: 3, padding: 1, groups: 16 }],
    ['depthwise 3×3, padding 1, read in place', { n: 19, c: 16, h: 33, w: 32, k: 16, r: 3, s: 3, padding: 1, groups: 16 }],
  ];
  it.each(cases)('gives the same output, input gradient and weight and bias gradients: %s', async (_, shape) => {
    const { n, c, h, w, k, r, s, ...options } = shape;
    const g: Conv2dGeometry = conv2dGeometry([n, c, h, w], [k, c / (options.groups ?? 1), r, s], [k], options);
    const [x, weight, bias] = [randomValues(n * c * h * w, 5), randomValues(k * g.c / g.groups * r * s, 6), randomValues(k, 7)];
    const dy = randomValues(n * k * g.outH * g.outW, 8);
    const flops = 2 * n * k * g.outH * g.outW * (c / g.groups) * r * s;
    await expectSameBitsAtEveryThreadCount(n, flops, RATES.flops, () => {
      const [xs, ws, bs, dys] = [x, weight, bias, dy].map((v) => backend.fromValues(v));
      const [y, dx, dw, db] = [dy.length, x.length, weight.length, k].map((length) => backend.alloc(length));
      backend.conv2dForward(y, xs, ws, bs, g);
      backend.conv2dBackwardInput(dx, dys, ws, g);
      backend.conv2dBackwardWeight(dw, db, dys, xs, g);
      return { y: backend.read(y), dx: backend.read(dx), dw: backend.read(dw), db: backend.read(db) };
    });
  });
});

describe.each(KERNEL_MODES)('conv2d of one image at any thread count, with %s', (_, deterministic) => {
  inKernelMode(deterministic);
  // One image: the forward pass and the weight gradient are split by output rows (the weight
  // gradient's fixed chunks of rows are summed in order), the input gradient by input channels
  // (the general path), with the same bits.
  it.each([
    ['3×3, padding 1', { c: 32, h: 57, w: 55, k: 40, r: 3, s: 3, padding: 1 }],
    ['1×1', { c: 40, h: 61, w: 59, k: 48, r: 1, s: 1 }],
  ] as [string, { c: number; h: number; w: number; k: number; r: number; s: number } & Conv2dFunctionalOptions][])('gives the same output and gradients: %s', async (_, shape) => {
    const { c, h, w, k, r, s, ...options } = shape;
    const g: Conv2dGeometry = conv2dGeometry([1, c, h, w], [k, c, r, s], [k], options);
    const [x, weight, bias] = [randomValues(c * h * w, 11), randomValues(k * c * r * s, 12), randomValues(k, 13)];
    const dy = randomValues(k * g.outH * g.outW, 14);
    const flops = 2 * k * g.outH * g.outW * c * r * s;
    await expectSameBitsAtEveryThreadCount(g.outH, flops, RATES.flops, () => {
      const [xs, ws, dys] = [x, weight, dy].map((v) => backend.fromValues(v));
      const [y, dx, dw, db] = [dy.length, x.length, weight.length, k].map((length) => backend.alloc(length));
      backend.conv2dForward(y, xs, ws, backend.fromValues(bias), g);
      backend.conv2dBackwardInput(dx, dys, ws, g);
      backend.conv2dBackwardWeight(dw, db, dys, xs, g);
      return { y: backend.read(y), dx: backend.read(dx), dw: backend.read(dw), db: backend.read(db) };
    });
  });
});

describe('pooling at any thread count', () => {
  // Input shapes [n, c, h, w], each just large enough to be split.
  const cases: [string, [number, number, number, number], Pool2dFunctionalOptions][] = [
    ['2×2, stride 2', [19, 17, 131, 129], { kernelSize: 2 }],
    ['3×3, stride 1, padding 1', [19, 7, 63, 61], { kernelSize: 3, stride: 1, padding: 1 }],
    ['3×2, stride (2, 3), padding (1, 0)', [19, 17, 101, 129], { kernelSize: [3, 2], stride: [2, 3], padding: [1, 0] }],
  ];
  it.each(cases)('gives the same max and average pooling and gradients: %s', async (_, [n, c, h, w], options) => {
    const g: Pool2dGeometry = pool2dGeometry([n, c, h, w], options);
    const [x, dy] = [randomValues(n * c * h * w, 9), randomValues(n * c * g.outH * g.outW, 10)];
    await expectSameBitsAtEveryThreadCount(n * c, n * c * g.outH * g.outW * g.kernelH * g.kernelW, RATES.taps, () => {
      const [xs, dys] = [backend.fromValues(x), backend.fromValues(dy)];
      const [max, avg, dMax, dAvg] = [dy.length, dy.length, x.length, x.length].map((length) => backend.alloc(length));
      backend.maxPool2dForward(max, xs, g);
      backend.avgPool2dForward(avg, xs, g);
      backend.maxPool2dBackward(dMax, dys, xs, g);
      backend.avgPool2dBackward(dAvg, dys, g);
      return { max: backend.read(max), avg: backend.read(avg), dMax: backend.read(dMax), dAvg: backend.read(dAvg) };
    });
  });
});

describe('the kernels of issue #10 at any thread count', () => {
  it('gives the same strided copies (permute and its gradient)', async () => {
    const shape = [8, 64, 32, 24];
    const size = shape.reduce((a, b) => a * b, 1);
    const values = randomValues(size, 15);
    await expectSameBitsAtEveryThreadCount(8 * 64 * 32, 2 * size, RATES.floats, () => {
      const x = sn.tensor(values, shape);
      x.requiresGrad = true;
      const y = x.permute(0, 2, 3, 1);
      y.backward(sn.tensor(values, y.shape));
      return { y: y.toFloat32Array(), dx: x.grad!.toFloat32Array() };
    });
  });

  it('gives the same activations and gradients (SiLU, GELU, Hardswish)', async () => {
    const n = 400_003;
    const values = randomValues(n, 16).map((v) => v * 6);
    await expectSameBitsAtEveryThreadCount(n, 2 * n, RATES.floats, () => Object.fromEntries([sn.F.silu, sn.F.gelu, sn.F.hardswish].flatMap((f) => {
      const x = sn.tensor(values);
      x.requiresGrad = true;
      const y = f(x);
      y.backward(sn.tensor(values));
      return [[f.name, y.toFloat32Array()], [`d${f.name}`, x.grad!.toFloat32Array()]];
    })));
  });

  it('gives the same adaptive pooling and bilinear resizing, forward and backward', async () => {
    const shape = [8, 16, 41, 39];
    const size = shape.reduce((a, b) => a * b, 1);
    const values = randomValues(size, 17);
    await expectSameBitsAtEveryThreadCount(8 * 16, 8 * 16 * (41 * 39 + 5 * 7), RATES.taps, () => {
      const outputs: Record<string, Float32Array> = {};
      const ops: [string, (x: sn.Tensor) => sn.Tensor][] = [
        ['avg', (x) => sn.F.adaptiveAvgPool2d(x, [5, 7])],
        ['max', (x) => sn.F.adaptiveMaxPool2d(x, [5, 7])],
        ['bilinear', (x) => sn.F.interpolate(x, { size: [83, 77], mode: 'bilinear' })],
      ];
      for (const [name, op] of ops) {
        const x = sn.tensor(values, shape);
        x.requiresGrad = true;
        const y = op(x);
        y.backward(sn.tensor(randomValues(y.size, 18), y.shape));
        outputs[name] = y.toFloat32Array();
        outputs[`d${name}`] = x.grad!.toFloat32Array();
      }
      return outputs;
    });
  });
});

describe('optimiser updates at any thread count', () => {
  // An odd-sized parameter (a scalar tail after the last SIMD group), two steps each so the second
  // blends the state the first wrote.
  const n = 250_007;
  const [p0, g0, g1] = [randomValues(n, 19), randomValues(n, 20), randomValues(n, 21)];

  it.each([
    ['Adam with L2 weight decay and AMSGrad', { weightDecay: 0.01, paramScale: 1, amsgrad: true }],
    ['AdamW (decoupled weight decay)', { weightDecay: 0, paramScale: 1 - 1e-3 * 0.01, amsgrad: false }],
  ])('gives the same parameters and moments: %s', async (_, { weightDecay, paramScale, amsgrad }) => {
    await expectSameBitsAtEveryThreadCount(n, 7 * n, RATES.floats, () => {
      const [param, expAvg, expAvgSq] = [backend.fromValues(p0), backend.alloc(n), backend.alloc(n)];
      const maxExpAvgSq = amsgrad ? backend.alloc(n) : undefined;
      [g0, g1].forEach((g, step) => {
        const t = step + 1;
        backend.adamStep({
          param, grad: backend.fromValues(g), expAvg, expAvgSq, maxExpAvgSq, beta1: 0.9, beta2: 0.999, eps: 1e-8,
          weightDecay, paramScale, stepSize: 1e-3 / (1 - 0.9 ** t), biasCorrection2Sqrt: Math.sqrt(1 - 0.999 ** t),
        });
      });
      const state = { param: backend.read(param), expAvg: backend.read(expAvg), expAvgSq: backend.read(expAvgSq) };
      return maxExpAvgSq ? { ...state, maxExpAvgSq: backend.read(maxExpAvgSq) } : state;
    });
  });

  it.each([
    ['momentum, dampening and weight decay', { momentum: 0.9, dampening: 0.1, weightDecay: 1e-4, nesterov: false }],
    ['nesterov momentum', { momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: true }],
    ['no momentum, weight decay', { momentum: 0, dampening: 0, weightDecay: 1e-4, nesterov: false }],
  ])('gives the same SGD parameters and momentum buffer: %s', async (_, options) => {
    await expectSameBitsAtEveryThreadCount(n, 3 * n, RATES.floats, () => {
      const param = backend.fromValues(p0);
      const momentumBuffer = options.momentum !== 0 ? backend.alloc(n) : undefined;
      [g0, g1].forEach((g, step) => {
        backend.sgdStep({ param, grad: backend.fromValues(g), momentumBuffer, lr: 0.01, firstStep: step === 0, ...options });
      });
      const state: Record<string, Float32Array> = { param: backend.read(param) };
      if (momentumBuffer) state.buffer = backend.read(momentumBuffer);
      return state;
    });
  });
});

describe('broadcast arithmetic at any thread count', () => {
  // Odd sizes; rank-1 walks (same shape, scalar operand) are split by elements, broadcasts by rows.
  const cases: [string, number[], number[]][] = [
    ['same shape', [7, 33, 29, 31], [7, 33, 29, 31]],
    ['a scalar operand', [7, 33, 29, 31], [1]],
    ['a per-channel operand ([N, C, H, W] by [C, 1, 1])', [7, 33, 29, 31], [33, 1, 1]],
    ['a row operand ([N, C] by [C])', [1031, 203], [203]],
    ['an outer product ([N, 1] by [1, C])', [1031, 1], [1, 203]],
  ];
  it.each(cases)('gives the same sums, products and quotients with %s', async (_, aShape, bShape) => {
    const [a, b] = [sn.tensor(randomValues(size(aShape), 22), aShape), sn.tensor(randomValues(size(bShape), 23), bShape)];
    const outShape = sn.add(a, b).shape;
    const outSize = size(outShape);
    // The split unit: elements for a rank-1 walk, rows of the last dimension for a broadcast.
    const units = sameOrScalar(aShape, bShape) ? outSize : outSize / outShape.at(-1)!;
    await expectSameBitsAtEveryThreadCount(units, 2 * outSize, RATES.floats, () => ({
      add: sn.add(a, b).toFloat32Array(), mul: sn.mul(a, b).toFloat32Array(), div: sn.div(b, a).toFloat32Array(),
    }));
  });

  function size(shape: readonly number[]): number {
    return shape.reduce((x, y) => x * y, 1);
  }

  function sameOrScalar(aShape: readonly number[], bShape: readonly number[]): boolean {
    return size(bShape) === 1 || aShape.join() === bShape.join();
  }
});

describe('reductions over many outputs at any thread count', () => {
  // Views [outer, n, inner]: split by outer rows, each output's sum or maximum computed whole.
  it.each([
    ['over a contiguous run (inner = 1)', [3001, 61, 1]],
    ['over a middle dimension, odd inner', [257, 37, 29]],
  ])('gives the same sums, means, maxima and their gradients: %s', async (_, [outer, n, inner]) => {
    const x = randomValues(outer * n * inner, 24);
    const gy = randomValues(outer * inner, 25);
    await expectSameBitsAtEveryThreadCount(outer, outer * (n + 1) * inner, RATES.floats, () => {
      const [xs, gys] = [backend.fromValues(x), backend.fromValues(gy)];
      const [sum, mean, max, indices] = [0, 1, 2, 3].map(() => backend.alloc(outer * inner));
      const [dMean, dMax] = [backend.alloc(x.length), backend.alloc(x.length)];
      backend.sumDim(sum, xs, outer, n, inner, 1);
      backend.sumDim(mean, xs, outer, n, inner, 1 / n);
      backend.expandDim(dMean, gys, outer, n, inner, 1 / n);
      backend.maxDim(max, indices, xs, outer, n, inner);
      backend.maxDimBackward(dMax, gys, indices, outer, n, inner);
      return { sum: backend.read(sum), mean: backend.read(mean), dMean: backend.read(dMean), max: backend.read(max), indices: backend.read(indices), dMax: backend.read(dMax) };
    });
  });
});

describe('seeded LeNet training at any thread count', () => {
  it.each(KERNEL_MODES)('gives identical weights, outputs and losses after 50 Adam steps at 1, 2, 3 and 8 threads, with %s', async (_, deterministic) => {
    const runs: Awaited<ReturnType<typeof seededTrainingOnThreads>>[] = [];
    for (const threads of THREAD_COUNTS) runs.push(await seededTrainingOnThreads(threads, deterministic));
    expect(runs).toEqual(THREAD_COUNTS.map((threads) => ({ threads, variant: runs[0].variant, hashes: runs[0].hashes })));
  });
});

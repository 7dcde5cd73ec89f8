import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import type { GemmArgs } from '../src/backend/index.js';
import { wasmBackend as backend } from '../src/backend/wasm/index.js';
import { conv2dGeometry, type Conv2dFunctionalOptions } from '../src/functional/conv2d.js';
import { expectClose, randomValues } from './helpers/data.js';

/**
 * Issue #13: the relaxed-SIMD kernels (fused multiply-add) and the portable SIMD128 ones, both in
 * this process on the same operands; sn.useDeterministicAlgorithms switches between them. Each result
 * of the relaxed kernels must lie within float rounding of the portable one: both are within
 * (terms + 2)·2⁻²⁴·Σ|term| of the exact value, where Σ|term| is the same operation on the absolute
 * values of the operands.
 */
beforeAll(async () => {
  sn.setBackend('wasm');
  await sn.ready(); // browsers load the relaxed kernels here; Node has them from the start
});
afterEach(() => sn.useDeterministicAlgorithms(false));

/** The named outputs of `compute` with the relaxed kernels, with the portable ones, and their magnitudes. */
function inBothVariants(compute: (abs: boolean) => Record<string, Float32Array>): { relaxed: Record<string, Float32Array>; portable: Record<string, Float32Array>; magnitude: Record<string, Float32Array> } {
  sn.useDeterministicAlgorithms(false);
  expect(sn.kernelInfo().variant).toBe('relaxed-simd');
  const relaxed = compute(false);
  sn.useDeterministicAlgorithms(true);
  expect(sn.kernelInfo().variant).toBe('simd128');
  return { relaxed, portable: compute(false), magnitude: compute(true) };
}

/** Expects every relaxed output within rounding of the portable one; returns how many elements differ in their bits. */
function expectWithinRounding(terms: number, { relaxed, portable, magnitude }: ReturnType<typeof inBothVariants>): number {
  let differing = 0;
  for (const [name, values] of Object.entries(relaxed)) {
    const bound = (i: number) => (terms + 2) * 2 ** -23 * magnitude[name][i] + 1e-30;
    expectClose(values, portable[name], bound, `relaxed vs portable ${name}`);
    differing += values.filter((v, i) => !Object.is(v, portable[name][i])).length;
  }
  return differing;
}

const abs = (values: Float32Array) => values.map(Math.abs);

describe('the kernel variants', () => {
  it('run the relaxed-SIMD kernels by default where the engine validates them (Node 20 and Chromium here)', () => {
    const info = sn.kernelInfo();
    expect(info).toMatchObject({ variant: 'relaxed-simd', deterministic: false, relaxedSimd: true, relaxedSimdUnavailable: undefined });
    expect(typeof info.fusedMultiplyAdd).toBe('boolean');
    expect(info.threads).toBe(sn.getNumThreads());
  });

  it('pin the portable SIMD128 kernels with useDeterministicAlgorithms(true) until it is set back to false', () => {
    sn.useDeterministicAlgorithms(true);
    expect(sn.areDeterministicAlgorithmsEnabled()).toBe(true);
    expect(sn.kernelInfo()).toMatchObject({ variant: 'simd128', deterministic: true, relaxedSimd: true });
    sn.useDeterministicAlgorithms(false);
    expect(sn.areDeterministicAlgorithmsEnabled()).toBe(false);
    expect(sn.kernelInfo().variant).toBe('relaxed-simd');
  });

  it('refuse a mode that is not a boolean, naming it', () => {
    expect(() => sn.useDeterministicAlgorithms('yes' as unknown as boolean)).toThrow(/useDeterministicAlgorithms: expected true or false, got yes/);
  });
});

describe('the relaxed-SIMD GEMM against the portable one', () => {
  // Odd shapes through every path: packed tiles with ragged edges (the relaxed build's 3×12 tile, and
  // 4×8, which both builds take where it pads C less: gemmTile), narrow column panels, B read in place
  // (at most 16 rows), the dot-product path (A·Bᵀ, few columns or rows), more than one block of K, and
  // the epilogue.
  const cases: [string, Omit<GemmArgs, 'a' | 'b' | 'c' | 'bias'> & { bias?: 'row' | 'col' }][] = [
    ['A·B, ragged tiles', { m: 37, n: 53, k: 29 }],
    ['Aᵀ·B, narrow last panel', { m: 41, n: 50, k: 33, transA: true }],
    ['narrow last panel, odd count of row panels (3×12 tiles)', { m: 37, n: 52, k: 29 }],
    ['A·Bᵀ, packed', { m: 29, n: 67, k: 31, transB: true }],
    ['Aᵀ·Bᵀ', { m: 23, n: 39, k: 45, transA: true, transB: true }],
    ['B read in place (13 rows)', { m: 13, n: 101, k: 27 }],
    ['dot products: A·Bᵀ with 10 columns', { m: 19, n: 10, k: 77, transB: true }],
    ['dot products: A·Bᵀ with 2 rows', { m: 2, n: 45, k: 66, transB: true }],
    ['two blocks of K, C + A·B + column bias, ReLU', { m: 11, n: 27, k: 517, accumulate: true, bias: 'col', relu: true }],
    ['Aᵀ·B + row bias', { m: 31, n: 26, k: 300, transA: true, bias: 'row' }],
    ['4×8 tiles in both builds: B read in place (16 rows), narrow last panel', { m: 16, n: 28, k: 37 }],
    ['4×8 tiles in both builds: Aᵀ·B, ragged edges', { m: 31, n: 37, k: 45, transA: true }],
    ['4×8 tiles in both builds: two blocks of K, C + A·B + row bias, ReLU', { m: 40, n: 64, k: 300, accumulate: true, bias: 'row', relu: true }],
  ];
  it.each(cases)('agrees within rounding: %s', (_, { bias, ...options }) => {
    const { m, n, k } = options;
    const [a, b, c0, biasValues] = [randomValues(m * k, 1), randomValues(k * n, 2), randomValues(m * n, 3), randomValues(bias === 'row' ? m : n, 4)];
    const variants = inBothVariants((magnitude) => {
      const value = (v: Float32Array) => backend.fromValues(magnitude ? abs(v) : v);
      const c = value(c0);
      backend.gemm({ ...options, relu: options.relu && !magnitude, a: value(a), b: value(b), c, bias: bias && { values: value(biasValues), axis: bias } });
      return { c: backend.read(c) };
    });
    expectWithinRounding(k + 2, variants);
  });

  it('differs from the portable GEMM in some bits where the hardware fuses (it really runs)', () => {
    const [m, n, k] = [40, 40, 200];
    const [a, b] = [randomValues(m * k, 5), randomValues(k * n, 6)];
    const variants = inBothVariants((magnitude) => {
      const c = backend.alloc(m * n);
      backend.gemm({ m, n, k, a: backend.fromValues(magnitude ? abs(a) : a), b: backend.fromValues(magnitude ? abs(b) : b), c });
      return { c: backend.read(c) };
    });
    const differing = expectWithinRounding(k, variants);
    if (sn.kernelInfo().fusedMultiplyAdd) expect(differing).toBeGreaterThan(0);
    else expect(differing).toBe(0);
  });
});

describe('the relaxed-SIMD convolutions against the portable ones', () => {
  type Shape = { n: number; c: number; h: number; w: number; k: number; r: number; s: number } & Conv2dFunctionalOptions;
  // The paths each build takes: direct (few channels), direct in the relaxed build only (channels in
  // the innermost loop, and 21 = 5·4 + 1 output channels for the one-channel tile), im2col + GEMM
  // (stride 2 along W, or one image beyond 16 channels for the gradients), GEMM on the input (1×1).
  const cases: [string, Shape][] = [
    ['3 channels, 3×3, padding 1 (direct)', { n: 3, c: 3, h: 13, w: 11, k: 7, r: 3, s: 3, padding: 1 }],
    ['2 groups of 5 channels, 5×5, stride (2, 1) (direct)', { n: 2, c: 10, h: 15, w: 17, k: 6, r: 5, s: 5, stride: [2, 1], groups: 2 }],
    ['19 channels, 3×3, padding 1 (direct in the relaxed build only)', { n: 2, c: 19, h: 9, w: 13, k: 21, r: 3, s: 3, padding: 1 }],
    ['one image of 19 channels, 3×3, padding 1 (gradients: im2col + GEMM)', { n: 1, c: 19, h: 9, w: 13, k: 21, r: 3, s: 3, padding: 1 }],
    ['3 groups, 3×3, stride 2, dilation 2 (im2col + GEMM)', { n: 2, c: 51, h: 17, w: 15, k: 9, r: 3, s: 3, stride: 2, dilation: 2, groups: 3 }],
    ['1×1 (GEMM on the input)', { n: 2, c: 33, h: 7, w: 9, k: 17, r: 1, s: 1 }],
    ['1×1, 20 output channels (GEMM on the input, 4×8 tiles in both builds)', { n: 2, c: 33, h: 7, w: 9, k: 20, r: 1, s: 1 }],
    ['depthwise 3×3, padding 1', { n: 2, c: 13, h: 11, w: 10, k: 13, r: 3, s: 3, padding: 1, groups: 13 }],
    ['depthwise 3×3, padding 1, read in place (12 columns)', { n: 2, c: 13, h: 11, w: 12, k: 13, r: 3, s: 3, padding: 1, groups: 13 }],
    ['depthwise 5×3, dilation (1, 2), 21 columns', { n: 2, c: 5, h: 12, w: 21, k: 5, r: 5, s: 3, padding: [2, 1], dilation: [1, 2], groups: 5 }],
  ];
  it.each(cases)('agree within rounding, forward and gradients: %s', (_, shape) => {
    const { n, c, h, w, k, r, s, ...options } = shape;
    const g: Conv2dGeometry = conv2dGeometry([n, c, h, w], [k, c / (options.groups ?? 1), r, s], [k], options);
    const [x, weight, bias] = [randomValues(n * c * h * w, 7), randomValues(k * g.c / g.groups * r * s, 8), randomValues(k, 9)];
    const dy = randomValues(n * k * g.outH * g.outW, 10);
    const variants = inBothVariants((magnitude) => {
      const [xs, ws, bs, dys] = [x, weight, bias, dy].map((v) => backend.fromValues(magnitude ? abs(v) : v));
      const [y, dx, dw, db] = [dy.length, x.length, weight.length, k].map((length) => backend.alloc(length));
      backend.conv2dForward(y, xs, ws, bs, g);
      backend.conv2dBackwardInput(dx, dys, ws, g);
      backend.conv2dBackwardWeight(dw, db, dys, xs, g);
      return { y: backend.read(y), dx: backend.read(dx), dw: backend.read(dw), db: backend.read(db) };
    });
    expectWithinRounding(Math.max(g.c / g.groups * r * s + 1, k * r * s, n * g.outH * g.outW), variants);
  });
});

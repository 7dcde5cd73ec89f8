import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Backend } from '../src/backend/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { ptr } from '../src/backend/wasm/storage.js';
import { kernel, workspace } from './helpers/kernels.js';
import { conv2dGeometry } from '../src/functional/conv2d.js';
import { Tensor } from '../src/tensor.js';
import { expectClose, randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const backends: Backend[] = [wasmBackend, tsBackend];

/** A convolution's options in the functional API's form. */
interface Config {
  n: number; c: number; h: number; w: number; k: number; r: number; s: number;
  stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number;
}

function geometry(o: Config): Conv2dGeometry {
  return conv2dGeometry([o.n, o.c, o.h, o.w], [o.k, o.c / o.groups, o.r, o.s], [o.k], o);
}

/**
 * Calls a conv2d kernel export of geometry `g` directly (below the bindings' thread split): its
 * buffers, the sizes, its range [from, to) and a workspace of its own.
 */
function convKernels(g: Conv2dGeometry): (name: string, buffers: number[], from: number, to: number) => number {
  const sizes = [g.c, g.h, g.w, g.k, g.r, g.s, g.strideH, g.strideW, g.padH, g.padW, g.dilationH, g.dilationW, g.groups];
  const work = workspace(kernel('conv2dWorkspaceBytes')(...sizes));
  return (name, buffers, from, to) => kernel(name)(...buffers, g.n, ...sizes, from, to, work);
}

interface Reference {
  y: Float64Array; dx: Float64Array; dw: Float64Array; db: Float64Array;
  /** Per element: Σ|term|, and the number of terms; f32 rounding stays below (terms + 2)·2⁻²³·Σ|term|. */
  yScale: Float64Array; dxScale: Float64Array; dwScale: Float64Array; dbScale: Float64Array;
  terms: { y: number; dx: number; dw: number; db: number };
}

/** The textbook seven loops in f64: forward, and the gradients for upstream gradient dy. */
function referenceConv2d(x: Float32Array, w: Float32Array, b: Float32Array, dy: Float32Array, g: Conv2dGeometry): Reference {
  const cg = g.c / g.groups;
  const kg = g.k / g.groups;
  const ref: Reference = {
    y: new Float64Array(g.n * g.k * g.outH * g.outW), dx: new Float64Array(x.length), dw: new Float64Array(w.length), db: new Float64Array(g.k),
    yScale: new Float64Array(g.n * g.k * g.outH * g.outW), dxScale: new Float64Array(x.length), dwScale: new Float64Array(w.length), dbScale: new Float64Array(g.k),
    terms: { y: cg * g.r * g.s + 1, dx: kg * g.r * g.s, dw: g.n * g.outH * g.outW, db: g.n * g.outH * g.outW },
  };
  for (let n = 0; n < g.n; n++) for (let k = 0; k < g.k; k++) for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++) {
    const yi = ((n * g.k + k) * g.outH + oh) * g.outW + ow;
    let sum = b[k];
    let scale = Math.abs(b[k]);
    ref.db[k] += dy[yi];
    ref.dbScale[k] += Math.abs(dy[yi]);
    for (let c = 0; c < cg; c++) for (let r = 0; r < g.r; r++) for (let s = 0; s < g.s; s++) {
      const ih = oh * g.strideH + r * g.dilationH - g.padH;
      const iw = ow * g.strideW + s * g.dilationW - g.padW;
      if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
      const xi = ((n * g.c + Math.floor(k / kg) * cg + c) * g.h + ih) * g.w + iw;
      const wi = ((k * cg + c) * g.r + r) * g.s + s;
      sum += w[wi] * x[xi];
      scale += Math.abs(w[wi] * x[xi]);
      ref.dx[xi] += w[wi] * dy[yi];
      ref.dxScale[xi] += Math.abs(w[wi] * dy[yi]);
      ref.dw[wi] += x[xi] * dy[yi];
      ref.dwScale[wi] += Math.abs(x[xi] * dy[yi]);
    }
    ref.y[yi] = sum;
    ref.yScale[yi] = scale;
  }
  return ref;
}

/** Runs the three primitives on `backend` and checks each against the f64 reference. */
function checkAgainstReference(backend: Backend, o: Config, seed: number): void {
  const g = geometry(o);
  const x = randomValues(o.n * o.c * o.h * o.w, seed);
  const w = randomValues(o.k * (o.c / o.groups) * o.r * o.s, seed + 1);
  const b = randomValues(o.k, seed + 2);
  const dy = randomValues(o.n * o.k * g.outH * g.outW, seed + 3);
  const ref = referenceConv2d(x, w, b, dy, g);
  const what = `${backend.name} ${JSON.stringify(o)}`;
  const bound = (scale: Float64Array, terms: number) => (i: number) => (terms + 2) * 2 ** -23 * scale[i] + 1e-30;

  const xs = backend.fromValues(x);
  const ws = backend.fromValues(w);
  const dys = backend.fromValues(dy);
  // Outputs start as garbage: every primitive must overwrite, not accumulate.
  const y = backend.fromValues(new Float32Array(ref.y.length).fill(7));
  backend.conv2dForward(y, xs, ws, backend.fromValues(b), g);
  expectClose(backend.read(y), ref.y, bound(ref.yScale, ref.terms.y), `${what} forward`);

  const dx = backend.fromValues(new Float32Array(x.length).fill(7));
  backend.conv2dBackwardInput(dx, dys, ws, g);
  expectClose(backend.read(dx), ref.dx, bound(ref.dxScale, ref.terms.dx), `${what} backward input`);

  const dw = backend.fromValues(new Float32Array(w.length).fill(7));
  const db = backend.fromValues(new Float32Array(o.k).fill(7));
  backend.conv2dBackwardWeight(dw, db, dys, xs, g);
  expectClose(backend.read(dw), ref.dw, bound(ref.dwScale, ref.terms.dw), `${what} backward weight`);
  expectClose(backend.read(db), ref.db, bound(ref.dbScale, ref.terms.db), `${what} backward bias`);
}

/** Random valid configurations over the ranges of the issue, with a cap on the work per case. */
const configs = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  groups: fc.integer({ min: 1, max: 3 }),
  cg: fc.integer({ min: 1, max: 6 }),
  kg: fc.integer({ min: 1, max: 6 }),
  depthwise: fc.boolean(),
  h: fc.integer({ min: 1, max: 33 }),
  w: fc.integer({ min: 1, max: 33 }),
  r: fc.integer({ min: 1, max: 7 }),
  s: fc.integer({ min: 1, max: 7 }),
  stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  padding: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  dilation: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
}).map(({ cg, kg, depthwise, groups, ...rest }): Config => {
  // Depthwise: one input channel per group (a channel multiplier of kg when kg > 1).
  const g = depthwise ? groups + 2 : groups;
  return { ...rest, groups: g, c: (depthwise ? 1 : cg) * g, k: kg * g };
}).filter((o) => o.dilation[0] * (o.r - 1) + 1 <= o.h + 2 * o.padding[0]
  && o.dilation[1] * (o.s - 1) + 1 <= o.w + 2 * o.padding[1]
  && o.n * o.k * (o.c / o.groups) * o.r * o.s * o.h * o.w <= 400_000);

describe.each(backends)('$name backend conv2d primitives', (backend) => {
  it('match the f64 reference on random configurations (groups, depthwise, stride, padding, dilation)', () => {
    let seed = 1;
    fc.assert(fc.property(configs, (o) => checkAgainstReference(backend, o, seed += 4)), { numRuns: 60, seed: 17 });
  });

  // Each case selects one kernel path: direct (≤ 16 input channels per group, stride 1 along W) with
  // its 4×8 and 1×16 forward tiles, ragged widths and channel counts that leave partial tiles and
  // panels; general im2col + GEMM (more channels, or stride along W), also in several im2col chunks
  // of output rows; 1×1 without a copy.
  const paths: [string, Config][] = [
    ['direct 4×8, bias, the first MNIST layer', { n: 2, c: 1, h: 28, w: 28, k: 8, r: 5, s: 5, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
    ['direct 1×16 (one output channel), strided rows', { n: 1, c: 3, h: 19, w: 37, k: 1, r: 3, s: 4, stride: [2, 1], padding: [1, 2], dilation: [1, 1], groups: 1 }],
    ['direct with padding larger than the dilated kernel', { n: 1, c: 2, h: 5, w: 6, k: 3, r: 2, s: 2, stride: [1, 1], padding: [3, 3], dilation: [1, 1], groups: 1 }],
    ['direct, 12 output channels (a half-empty 8-channel panel)', { n: 2, c: 3, h: 7, w: 9, k: 12, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['direct, 16 input channels, 13 outputs, dilation', { n: 1, c: 16, h: 9, w: 10, k: 13, r: 3, s: 2, stride: [1, 1], padding: [2, 1], dilation: [2, 2], groups: 1 }],
    ['general path, 17 input channels', { n: 2, c: 17, h: 9, w: 11, k: 6, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['general path, grouped, 18 channels per group, stride and dilation', { n: 1, c: 36, h: 10, w: 9, k: 4, r: 3, s: 2, stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }],
    ['general path in two im2col chunks (1600 output pixels)', { n: 1, c: 17, h: 40, w: 40, k: 2, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['general path in chunks, stride 2 along W', { n: 2, c: 2, h: 70, w: 69, k: 3, r: 3, s: 2, stride: [2, 2], padding: [1, 0], dilation: [1, 2], groups: 1 }],
    ['general path, stride 2 along W', { n: 2, c: 2, h: 13, w: 13, k: 6, r: 3, s: 3, stride: [2, 2], padding: [1, 1], dilation: [2, 1], groups: 1 }],
    ['1×1 stride 1 without padding (GEMM on the input)', { n: 3, c: 7, h: 5, w: 9, k: 10, r: 1, s: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
    ['1×1 with padding (direct path)', { n: 1, c: 5, h: 4, w: 4, k: 3, r: 1, s: 1, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 1 }],
    ['grouped, 5 input channels per group', { n: 2, c: 10, h: 9, w: 10, k: 4, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }],
    ['depthwise with a channel multiplier', { n: 2, c: 6, h: 17, w: 17, k: 12, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 6 }],
    ['depthwise, two-row tiles (odd row count, 21 columns)', { n: 2, c: 5, h: 11, w: 21, k: 5, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 5 }],
    ['depthwise, two-row tiles, 5×2, dilation 2 along W', { n: 1, c: 3, h: 9, w: 12, k: 3, r: 5, s: 2, stride: [1, 1], padding: [2, 1], dilation: [1, 2], groups: 3 }],
    ['depthwise 3×3, padding 1, read in place (12 columns, odd row count)', { n: 2, c: 5, h: 11, w: 12, k: 5, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 5 }],
    ['depthwise 3×3, padding 1, read in place (4 columns: both edges in one vector)', { n: 2, c: 3, h: 6, w: 4, k: 3, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 3 }],
    ['stride larger than the kernel', { n: 1, c: 3, h: 20, w: 20, k: 5, r: 2, s: 2, stride: [3, 3], padding: [0, 0], dilation: [1, 1], groups: 1 }],
  ];
  it.each(paths)('match the f64 reference: %s', (_, o) => checkAgainstReference(backend, o, 1000));

  it('work through sn.F.conv2d on a worked example (5×5 input, 3×3 kernel, padding 1, stride 2)', () => {
    sn.setBackend(backend.name);
    // Input x = 1…25, row by row; the kernel has two non-zero taps: w[0][1] = 1 and w[2][2] = 2.
    //      1  2  3  4  5        0 1 0
    //      6  7  8  9 10        0 0 0
    //     11 12 13 14 15        0 0 2
    //     16 17 18 19 20
    //     21 22 23 24 25
    // With padding 1 and stride 2 the 3×3 window of output (i, j) is centred on input (2i, 2j), so
    // y[i][j] = 1·x[2i − 1][2j] + 2·x[2i + 1][2j + 1] + bias, reading 0 outside the input:
    //   y[0][0] = 0 + 2·x[1][1] = 2·7  = 14      y[0][1] = 0 + 2·x[1][3] = 18      y[0][2] = 0 + 2·x[1][5] = 0
    //   y[1][0] = x[1][0] + 2·x[3][1] = 6 + 34 = 40   y[1][1] = 8 + 2·19 = 46        y[1][2] = 10 + 2·0 = 10
    //   y[2][0] = x[3][0] + 2·x[5][1] = 16 + 0 = 16   y[2][1] = 18                   y[2][2] = 20
    // and bias 0.5 is added to every output.
    const x = sn.tensor(Array.from({ length: 25 }, (_, i) => i + 1), [1, 1, 5, 5]);
    const w = sn.tensor([0, 1, 0, 0, 0, 0, 0, 0, 2], [1, 1, 3, 3]);
    const b = sn.tensor([0.5]);
    x.requiresGrad = true;
    w.requiresGrad = true;
    b.requiresGrad = true;
    const y = sn.F.conv2d(x, w, b, { padding: 1, stride: 2 });
    expect(y.toArray()).toEqual([[[[14.5, 18.5, 0.5], [40.5, 46.5, 10.5], [16.5, 18.5, 20.5]]]]);

    // Backward with dL/dy = 1 everywhere.
    // dL/dx[a][b] counts the taps reading (a, b), times their weight: the weight-1 tap reads rows
    // 2i − 1 ∈ {1, 3} and columns 2j ∈ {0, 2, 4}; the weight-2 tap reads rows 2i + 1 ∈ {1, 3} and
    // columns 2j + 1 ∈ {1, 3} (rows and columns 5 and −1 are padding). So rows 1 and 3 are
    // [1, 2, 1, 2, 1] and the others 0.
    // dL/dw[r][s] = Σ_ij x[2i + r − 1][2j + s − 1]: the centre tap sums the nine even positions,
    //   1 + 3 + 5 + 11 + 13 + 15 + 21 + 23 + 25 = 117; a corner tap the four odd ones, 7 + 9 + 17 + 19 = 52;
    //   an edge tap six values, e.g. dw[0][1] = x[1][0, 2, 4] + x[3][0, 2, 4] = 6 + 8 + 10 + 16 + 18 + 20 = 78.
    // dL/db = 9 outputs × 1.
    y.backward(sn.ones([1, 1, 3, 3]));
    const oddRow = [1, 2, 1, 2, 1];
    const zeroRow = [0, 0, 0, 0, 0];
    expect(x.grad?.toArray()).toEqual([[[zeroRow, oddRow, zeroRow, oddRow, zeroRow]]]);
    expect(w.grad?.toArray()).toEqual([[[[52, 78, 52], [78, 117, 78], [52, 78, 52]]]]);
    expect(b.grad?.toArray()).toEqual([9]);
  });
});

describe('wasm conv2d kernels', () => {
  it('agree with the ts backend on random configurations, forward and both backward passes', () => {
    let seed = 5000;
    fc.assert(fc.property(configs, (o) => {
      const g = geometry(o);
      seed += 4;
      const x = randomValues(o.n * o.c * o.h * o.w, seed);
      const w = randomValues(o.k * (o.c / o.groups) * o.r * o.s, seed + 1);
      const dy = randomValues(o.n * o.k * g.outH * g.outW, seed + 2);
      const run = (backend: Backend) => {
        const y = backend.alloc(dy.length);
        const dx = backend.alloc(x.length);
        const dw = backend.alloc(w.length);
        const db = backend.alloc(o.k);
        const [xs, ws, dys] = [x, w, dy].map((v) => backend.fromValues(v));
        backend.conv2dForward(y, xs, ws, undefined, g);
        backend.conv2dBackwardInput(dx, dys, ws, g);
        backend.conv2dBackwardWeight(dw, db, dys, xs, g);
        return [y, dx, dw, db].map((s) => backend.read(s));
      };
      const ours = run(wasmBackend);
      const oracle = run(tsBackend);
      ['forward', 'backward input', 'backward weight', 'backward bias'].forEach((pass, i) => {
        const limit = 1e-5 * Math.max(1, ...oracle[i].map(Math.abs)) * Math.sqrt(o.n * g.outH * g.outW * o.k * o.r * o.s);
        expectClose(ours[i], oracle[i], () => limit, `${pass} ${JSON.stringify(o)}`);
      });
    }), { numRuns: 30, seed: 29 });
  });

  // The direct path (2 input channels) and the general path (20, stride 2 along W: general in both
  // builds, since the relaxed-SIMD build takes the direct kernels for any channel count), each over
  // images [1, 3) of 4.
  const ranges: [string, Config][] = [
    ['direct', { n: 4, c: 2, h: 6, w: 7, k: 3, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['general', { n: 4, c: 20, h: 5, w: 6, k: 3, r: 3, s: 2, stride: [1, 2], padding: [1, 0], dilation: [1, 1], groups: 1 }],
  ];
  it.each(ranges)('handle only the images of the batch range they are given (%s path)', (_, o) => {
    const g = geometry(o);
    const conv = convKernels(g);
    const [start, end] = [1, 3];
    const x = randomValues(o.n * o.c * o.h * o.w, 3);
    const w = randomValues(o.k * o.c * o.r * o.s, 4);
    const dy = randomValues(o.n * o.k * g.outH * g.outW, 5);
    const [xs, ws, dys] = [x, w, dy].map((v) => wasmBackend.fromValues(v));
    const sentinel = (length: number) => wasmBackend.fromValues(new Float32Array(length).fill(-1));
    const outImage = o.k * g.outH * g.outW;
    const inImage = o.c * o.h * o.w;

    // Forward and input gradient: images outside the range are left untouched.
    const fullY = wasmBackend.alloc(dy.length);
    const fullDx = wasmBackend.alloc(x.length);
    wasmBackend.conv2dForward(fullY, xs, ws, undefined, g);
    wasmBackend.conv2dBackwardInput(fullDx, dys, ws, g);
    const y = sentinel(dy.length);
    const dx = sentinel(x.length);
    conv('conv2dForward', [ptr(y), ptr(xs), ptr(ws), 0, 0], start * g.outH, end * g.outH); // the forward's range is output rows
    conv('conv2dBackwardInput', [ptr(dx), ptr(dys), ptr(ws)], start * g.c, end * g.c); // the input gradient's range is input channels
    for (const [got, full, image] of [[y, fullY, outImage], [dx, fullDx, inImage]] as const) {
      const values = wasmBackend.read(got);
      expect(values.subarray(0, start * image).every((v) => v === -1)).toBe(true);
      expect(values.subarray(start * image, end * image)).toEqual(wasmBackend.read(full).subarray(start * image, end * image));
      expect(values.subarray(end * image).every((v) => v === -1)).toBe(true);
    }

    // Weight and bias gradients: the sums over the range alone, as the ts backend gives for that slice.
    const dw = sentinel(w.length);
    const db = sentinel(o.k);
    conv('conv2dBackwardWeight', [ptr(dw), ptr(db), ptr(dys), ptr(xs)], start * g.outH, end * g.outH); // output rows
    const slice = { ...g, n: end - start };
    const tdw = tsBackend.alloc(w.length);
    const tdb = tsBackend.alloc(o.k);
    tsBackend.conv2dBackwardWeight(tdw, tdb, tsBackend.fromValues(dy.subarray(start * outImage, end * outImage)), tsBackend.fromValues(x.subarray(start * inImage, end * inImage)), slice);
    expectClose(wasmBackend.read(dw), tsBackend.read(tdw), () => 1e-4, 'range dweight');
    expectClose(wasmBackend.read(db), tsBackend.read(tdb), () => 1e-4, 'range dbias');

    // An empty range gives zero gradients.
    conv('conv2dBackwardWeight', [ptr(dw), ptr(db), ptr(dys), ptr(xs)], 2 * g.outH, 2 * g.outH);
    expect(wasmBackend.read(dw).every((v) => v === 0)).toBe(true);
    expect(wasmBackend.read(db).every((v) => v === 0)).toBe(true);
  });
});

describe('the wasm conv2d forward kernel on part of one image', () => {
  // General path (20 input channels): any range of output rows, so one image can be split by rows.
  // Direct path (2 channels): the same (issue #13; before, the whole images whose first row was in range).
  it.each([
    ['general', { n: 2, c: 20, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 2], padding: [1, 0], dilation: [1, 1], groups: 1 }, [11, 14], [11, 14]],
    ['general, 1×1', { n: 2, c: 20, h: 9, w: 6, k: 3, r: 1, s: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, [2, 5], [2, 5]],
    ['direct', { n: 2, c: 2, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 1 }, [5, 14], [5, 14]],
    ['depthwise', { n: 2, c: 3, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 3 }, [5, 14], [5, 14]],
    ['depthwise 3×3 read in place', { n: 2, c: 3, h: 9, w: 8, k: 3, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 3 }, [5, 14], [5, 14]],
  ] as [string, Config, [number, number], [number, number]][])('%s path: computes output rows %j as rows %j of the batch', (_, o, range, written) => {
    const g = geometry(o);
    const conv = convKernels(g);
    const [xs, ws] = [randomValues(o.n * o.c * o.h * o.w, 6), randomValues(o.k * o.c * o.r * o.s, 7)].map((v) => wasmBackend.fromValues(v));
    const full = wasmBackend.alloc(o.n * o.k * g.outH * g.outW);
    wasmBackend.conv2dForward(full, xs, ws, undefined, g);
    const part = wasmBackend.fromValues(new Float32Array(full.length).fill(-1));
    conv('conv2dForward', [ptr(part), ptr(xs), ptr(ws), 0, 0], range[0], range[1]);
    const [got, want] = [wasmBackend.read(part), wasmBackend.read(full)];
    for (let i = 0; i < got.length; i++) {
      const row = Math.floor(i / (o.k * g.outH * g.outW)) * g.outH + Math.floor(i / g.outW) % g.outH; // n·OH + oh
      const inside = row >= written[0] && row < written[1];
      expect(got[i], `element ${i} (batch row ${row})`).toBe(inside ? want[i] : -1);
    }
  });
});

describe('the wasm conv2d input-gradient kernel on part of one image', () => {
  // General path: any range of the batch's input channels, even across groups; direct path: the
  // whole images whose first channel lies in the range.
  it.each([
    ['general, 2 groups', { n: 2, c: 40, h: 7, w: 6, k: 6, r: 3, s: 2, stride: [2, 2], padding: [1, 0], dilation: [1, 1], groups: 2 }, [47, 63], [47, 63]],
    ['general, 1×1', { n: 2, c: 20, h: 9, w: 6, k: 3, r: 1, s: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, [3, 17], [3, 17]],
    ['direct', { n: 2, c: 2, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 1 }, [1, 4], [2, 4]],
    ['depthwise', { n: 2, c: 5, h: 9, w: 6, k: 5, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 5 }, [3, 8], [3, 8]],
  ] as [string, Config, [number, number], [number, number]][])('%s path: computes input channels %j as channels %j of the batch', (_, o, range, written) => {
    const g = geometry(o);
    const conv = convKernels(g);
    const [dys, ws] = [randomValues(o.n * o.k * g.outH * g.outW, 8), randomValues(o.k * (o.c / o.groups) * o.r * o.s, 9)].map((v) => wasmBackend.fromValues(v));
    const full = wasmBackend.alloc(o.n * o.c * o.h * o.w);
    wasmBackend.conv2dBackwardInput(full, dys, ws, g);
    const part = wasmBackend.fromValues(new Float32Array(full.length).fill(-1));
    conv('conv2dBackwardInput', [ptr(part), ptr(dys), ptr(ws)], range[0], range[1]);
    const [got, want] = [wasmBackend.read(part), wasmBackend.read(full)];
    for (let i = 0; i < got.length; i++) {
      const channel = Math.floor(i / (o.h * o.w)); // n·C + c
      const inside = channel >= written[0] && channel < written[1];
      expect(got[i], `element ${i} (batch channel ${channel})`).toBe(inside ? want[i] : -1);
    }
  });
});

describe('the wasm conv2d weight-gradient kernel on part of one image', () => {
  // General path: the sums over any range of output rows (two ranges add up to the whole); direct
  // path: the whole images whose first output row lies in the range (none: zeros).
  it.each([
    ['general', { n: 2, c: 20, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 2], padding: [1, 0], dilation: [1, 1], groups: 1 }],
    ['general, 1×1', { n: 2, c: 20, h: 9, w: 6, k: 3, r: 1, s: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }],
    ['depthwise', { n: 2, c: 5, h: 9, w: 6, k: 5, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 5 }],
  ] as [string, Config][])('%s path: rows [0, 11) and [11, 2·OH) add up to the whole batch', (_, o) => {
    const g = geometry(o);
    const conv = convKernels(g);
    const [xs, dys] = [randomValues(o.n * o.c * o.h * o.w, 10), randomValues(o.n * o.k * g.outH * g.outW, 11)].map((v) => wasmBackend.fromValues(v));
    const grads = (from: number, to: number) => {
      const [dw, db] = [wasmBackend.alloc(o.k * o.c * o.r * o.s), wasmBackend.alloc(o.k)];
      conv('conv2dBackwardWeight', [ptr(dw), ptr(db), ptr(dys), ptr(xs)], from, to);
      return [wasmBackend.read(dw), wasmBackend.read(db)];
    };
    const whole = grads(0, 2 * g.outH);
    const [first, second] = [grads(0, 11), grads(11, 2 * g.outH)];
    whole.forEach((values, i) => expectClose(first[i].map((v, j) => v + second[i][j]), values, () => 1e-4, ['dweight', 'dbias'][i]));
  });

  it('direct path: takes the whole images whose first row lies in the range', () => {
    const o: Config = { n: 2, c: 2, h: 9, w: 6, k: 3, r: 3, s: 2, stride: [1, 1], padding: [1, 0], dilation: [1, 1], groups: 1 };
    const g = geometry(o);
    const conv = convKernels(g);
    const [xs, dys] = [randomValues(o.n * o.c * o.h * o.w, 12), randomValues(o.n * o.k * g.outH * g.outW, 13)].map((v) => wasmBackend.fromValues(v));
    const grads = (from: number, to: number) => {
      const [dw, db] = [wasmBackend.alloc(o.k * o.c * o.r * o.s), wasmBackend.alloc(o.k)];
      conv('conv2dBackwardWeight', [ptr(dw), ptr(db), ptr(dys), ptr(xs)], from, to);
      return [wasmBackend.read(dw), wasmBackend.read(db)];
    };
    expect(grads(1, g.outH + 1)).toEqual(grads(g.outH, 2 * g.outH)); // only image 1 starts in [1, OH + 1)
    expect(grads(1, g.outH).every((values) => values.every((v) => v === 0))).toBe(true);
  });
});

describe('conv2d gradients', () => {
  const cases: [string, Config][] = [
    ['padding and stride', { n: 2, c: 2, h: 6, w: 5, k: 3, r: 3, s: 2, stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 1 }],
    ['dilation and groups', { n: 1, c: 4, h: 7, w: 7, k: 4, r: 2, s: 3, stride: [1, 2], padding: [2, 0], dilation: [2, 2], groups: 2 }],
    ['depthwise', { n: 2, c: 3, h: 5, w: 6, k: 3, r: 3, s: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 3 }],
  ];
  it.each(cases)('match finite differences on the ts backend: %s', (name, o) => {
    const x = { values: randomValues(o.n * o.c * o.h * o.w, 11), shape: [o.n, o.c, o.h, o.w] };
    const w = { values: randomValues(o.k * (o.c / o.groups) * o.r * o.s, 12), shape: [o.k, o.c / o.groups, o.r, o.s] };
    const b = { values: randomValues(o.k, 13), shape: [o.k] };
    gradcheck((xt, wt, bt) => sn.F.conv2d(xt, wt, bt, o), [x, w, b], { name: `conv2d ${name}` });
  });

  it('flow only to the operands that require them', () => {
    for (const name of ['wasm', 'ts'] as const) {
      sn.setBackend(name);
      const x = sn.randn([1, 2, 4, 4]);
      const w = sn.randn([3, 2, 3, 3]);
      const b = sn.randn([3]);
      w.requiresGrad = true;
      sn.F.conv2d(x, w, b).backward(sn.ones([1, 3, 2, 2]));
      expect(w.grad?.shape).toEqual([3, 2, 3, 3]);
      expect(x.grad).toBeUndefined();
      expect(b.grad).toBeUndefined();
    }
  });
});

describe('conv2d rejects bad input', () => {
  const x = () => sn.zeros([2, 4, 8, 8]);
  const cases: [string, () => unknown, RegExp][] = [
    ['an input that is not 4-D', () => sn.F.conv2d(sn.zeros([4, 8, 8]), sn.zeros([2, 4, 3, 3])), /conv2d: input must be 4-D.*input \[4, 8, 8\], weight \[2, 4, 3, 3\]/],
    ['a weight that is not 4-D', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3])), /conv2d: weight must be 4-D.*weight \[2, 4, 3\]/],
    ['a channel mismatch', () => sn.F.conv2d(x(), sn.zeros([2, 3, 3, 3])), /conv2d: the input has 4 channels but the weight expects 3.*input \[2, 4, 8, 8\], weight \[2, 3, 3, 3\]/],
    ['groups that do not divide the channels', () => sn.F.conv2d(x(), sn.zeros([3, 2, 3, 3]), undefined, { groups: 2 }), /conv2d: groups=2 must divide the input channels \(4\) and the output channels \(3\)/],
    ['a bias of the wrong shape', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), sn.zeros([3])), /conv2d: bias of shape \[3\] must be \[2\]/],
    ['a kernel larger than the padded input', () => sn.F.conv2d(x(), sn.zeros([2, 4, 5, 5]), undefined, { dilation: 2 }), /conv2d: the kernel 5×5 with dilation=\[2, 2\] spans 9×9, larger than the input 8×8 with padding=\[0, 0\]/],
    ['a zero stride', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), undefined, { stride: 0 }), /conv2d: stride=0 must be a positive integer/],
    ['a fractional stride', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), undefined, { stride: [1, 1.5] }), /conv2d: stride=\[1,1.5\] must be a positive integer/],
    ['a negative dilation', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), undefined, { dilation: -1 }), /conv2d: dilation=-1 must be a positive integer/],
    ['zero groups', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), undefined, { groups: 0 }), /conv2d: groups=0 must be a positive integer/],
    ['negative padding', () => sn.F.conv2d(x(), sn.zeros([2, 4, 3, 3]), undefined, { padding: -1 }), /conv2d: padding=-1 must be a non-negative integer/],
    ['operands on different backends', () => sn.F.conv2d(x(), new Tensor(tsBackend.alloc(72), [2, 4, 3, 3], tsBackend)), /conv2d: input and weight live on different backends/],
  ];
  it.each(cases)('throws a SimdnnError naming the op, the shapes and the option for %s', (_, call, message) => {
    expect(call).toThrow(sn.SimdnnError);
    expect(call).toThrow(message);
  });
});

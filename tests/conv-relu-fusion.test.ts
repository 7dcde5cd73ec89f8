import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Backend, BackendName } from '../src/backend/index.js';
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { pool2dGeometry, type Pool2dFunctionalOptions } from '../src/functional/pool2d.js';
import type { Conv2dFunctionalOptions } from '../src/functional/conv2d.js';
import { randomValues } from './helpers/data.js';

// conv2d's fused ReLU (`activation: 'relu'`, and nn.Sequential's Conv2d + ReLU) and the max-pool
// backward that passes the ReLU too (nn.Sequential's Conv2d + ReLU + MaxPool2d): the same bits as the
// separate ops, forward and backward, on every kernel path and at any thread count.

const defaultThreads = sn.getNumThreads();
afterEach(() => sn.setBackend('wasm'));
afterAll(() => sn.setNumThreads(defaultThreads));

/** The raw bits of a tensor's values, so that NaN and −0 compare exactly. */
const bits = (t: sn.Tensor) => Array.from(new Uint32Array(t.toFloat32Array().buffer));

interface Case {
  x: number[];
  w: number[];
  options: Conv2dFunctionalOptions;
}

// One case per forward path of the wasm kernels (assembly/conv2d.ts).
const cases: [string, Case][] = [
  ['direct (few input channels)', { x: [2, 3, 11, 13], w: [12, 3, 3, 3], options: { padding: 1 } }],
  ['general im2col + GEMM (17 channels, stride 2 along W)', { x: [2, 17, 9, 11], w: [6, 17, 3, 3], options: { stride: [1, 2], padding: 1 } }],
  ['general, in several im2col chunks of rows', { x: [1, 17, 40, 40], w: [3, 17, 3, 3], options: { padding: 1 } }],
  ['1×1 on the input in place', { x: [3, 20, 5, 9], w: [10, 20, 1, 1], options: {} }],
  ['depthwise', { x: [2, 6, 17, 17], w: [6, 1, 5, 3], options: { padding: [2, 1], groups: 6 } }],
  ['depthwise 3×3 read in place', { x: [2, 5, 11, 12], w: [5, 1, 3, 3], options: { padding: 1, groups: 5 } }],
];

/** conv2d + relu both ways on `backend`: the fused op and the two ops, outputs and gradients. */
function bothWays(backend: BackendName, { x: xShape, w: wShape, options }: Case) {
  sn.setBackend(backend);
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const xValues = randomValues(size(xShape), 1);
  xValues[5] = NaN; // NaN passes the ReLU forward and stops its gradient
  const run = (fused: boolean) => {
    const [x, w, b] = [sn.tensor(xValues, xShape), sn.tensor(randomValues(size(wShape), 2), wShape), sn.tensor(randomValues(wShape[0], 3), [wShape[0]])];
    for (const t of [x, w, b]) t.requiresGrad = true;
    const y = fused ? sn.F.conv2d(x, w, b, { ...options, activation: 'relu' }) : sn.F.relu(sn.F.conv2d(x, w, b, options));
    const values = bits(y);
    sn.mul(y, sn.tensor(randomValues(y.size, 4), y.shape)).sum().backward();
    return { y: values, dx: bits(x.grad!), dw: bits(w.grad!), db: bits(b.grad!) };
  };
  return { fused: run(true), separate: run(false) };
}

describe.each(['wasm', 'ts'] as const)('conv2d with activation relu on the %s backend', (backend) => {
  it.each(cases)('gives the bits of conv2d then relu, forward and gradients: %s', (_, c) => {
    const { fused, separate } = bothWays(backend, c);
    expect(fused.y.some((v) => v === 0), 'some outputs are cut to 0').toBe(true);
    expect(fused).toEqual(separate);
  });
});

describe('conv2d with activation relu on threads', () => {
  it('gives the same bits at 1 and 2 threads when the batch is split', async () => {
    // 8×16×32×32 → 32 channels, 3×3: ~75 MFLOP, well above the pool's split threshold.
    const c: Case = { x: [8, 16, 32, 32], w: [32, 16, 3, 3], options: { padding: 1 } };
    const results = [];
    for (const threads of [1, 2]) {
      await sn.setNumThreads(threads);
      results.push(bothWays('wasm', c));
    }
    expect(results[1].fused).toEqual(results[0].fused);
    expect(results[0].fused).toEqual(results[0].separate);
  });
});

describe.each([wasmBackend, tsBackend])('max-pool backward with the ReLU mask on the $name backend', (backend: Backend) => {
  // One geometry per kernel path (assembly/pool2d.ts): the 2×2 stride-2 micro-kernel, the SIMD rows at
  // stride 1 and 2 (overlapping windows accumulate), the scalar path (narrow output, a NaN plane).
  const cases: [string, number[], Pool2dFunctionalOptions, boolean][] = [
    ['2×2 stride 2, odd size', [2, 3, 9, 11], { kernelSize: 2 }, false],
    ['3×3 stride 1 padding 1', [2, 3, 9, 12], { kernelSize: 3, stride: 1, padding: 1 }, false],
    ['3×3 stride 2 padding 1', [1, 4, 13, 16], { kernelSize: 3, stride: 2, padding: 1 }, false],
    ['narrow output (scalar path)', [2, 2, 6, 5], { kernelSize: [2, 3], stride: 1 }, false],
    ['a plane holding NaN (PyTorch\'s NaN rule)', [1, 3, 8, 8], { kernelSize: 2 }, true],
  ];
  it.each(cases)('equals max-pool backward then relu backward bit for bit: %s', (_, shape, options, withNaN) => {
    const g = pool2dGeometry(shape, options);
    // x is a ReLU's output: zeros (many windows all ≤ 0), positives, one NaN.
    const x = randomValues(g.n * g.c * g.h * g.w, 8).map((v) => Math.max(v, 0));
    if (withNaN) x[10] = NaN;
    const dy = randomValues(g.n * g.c * g.outH * g.outW, 9);
    const [xs, dys] = [backend.fromValues(x), backend.fromValues(dy)];
    const [masked, separate] = [backend.alloc(x.length), backend.alloc(x.length)];
    backend.maxPool2dBackward(masked, dys, xs, g, true);
    backend.maxPool2dBackward(separate, dys, xs, g);
    backend.unaryBackward('relu', separate, separate, xs, x.length);
    const u32 = (v: Float32Array) => Array.from(new Uint32Array(v.buffer));
    expect(u32(backend.read(masked))).toEqual(u32(backend.read(separate)));
    expect(backend.read(masked).some((v, i) => v === 0 && x[i] === 0)).toBe(true);
  });
});

describe('nn.Sequential with a Conv2d followed by a ReLU', () => {
  const x = () => sn.tensor(randomValues(2 * 3 * 12 * 12, 5), [2, 3, 12, 12]);

  it('runs them as one fused convolution with the values and gradients of the two layers', () => {
    sn.manualSeed(0);
    const model = new sn.nn.Sequential(new sn.nn.Conv2d(3, 8, 3), new sn.nn.ReLU(), new sn.nn.MaxPool2d(2), new sn.nn.Flatten(), new sn.nn.Linear(200, 4));
    const layerByLayer = (input: sn.Tensor) => model.layers.reduce((h, layer) => layer.forward(h), input);
    const run = (forward: (input: sn.Tensor) => sn.Tensor) => {
      for (const p of model.parameters()) p.grad = undefined;
      const y = forward(x());
      y.sum().backward();
      return { y: bits(y), grads: model.parameters().map((p) => bits(p.grad!)) };
    };
    expect(run((input) => model.forward(input))).toEqual(run(layerByLayer));
    expect(new sn.nn.Sequential(model.layers[0], model.layers[1]).forward(x()).gradFn?.name).toBe('conv2d+relu');
  });

  it('runs Conv2d, ReLU, MaxPool2d as one op with the values and gradients of the three layers', () => {
    sn.manualSeed(1);
    const model = new sn.nn.Sequential(
      new sn.nn.Conv2d(3, 8, 3, { padding: 1 }), new sn.nn.ReLU(), new sn.nn.MaxPool2d(2),
      new sn.nn.Conv2d(8, 4, 3), new sn.nn.ReLU(), new sn.nn.MaxPool2d(3, { stride: 1, padding: 1 }),
      new sn.nn.Flatten(), new sn.nn.Linear(64, 3),
    );
    const run = (forward: (input: sn.Tensor) => sn.Tensor) => {
      for (const p of model.parameters()) p.grad = undefined;
      const input = x();
      input.requiresGrad = true;
      const y = forward(input);
      sn.mul(y, sn.tensor(randomValues(y.size, 6), y.shape)).sum().backward();
      return { y: bits(y), dx: bits(input.grad!), grads: model.parameters().map((p) => bits(p.grad!)) };
    };
    expect(run((input) => model.forward(input))).toEqual(run((input) => model.layers.reduce((h, layer) => layer.forward(h), input)));
    expect(new sn.nn.Sequential(...model.layers.slice(0, 3)).forward(x()).gradFn?.name).toBe('conv2d+relu+maxPool2d');
  });

  it('keeps the layers apart when either forward was replaced (a subclass, or on the instance)', () => {
    class CountingReLU extends sn.nn.ReLU {
      calls = 0;
      override forward(input: sn.Tensor): sn.Tensor {
        this.calls++;
        return super.forward(input);
      }
    }
    const counting = new CountingReLU();
    const conv = new sn.nn.Conv2d(3, 4, 3);
    expect(new sn.nn.Sequential(conv, counting).forward(x()).gradFn?.name).toBe('relu');
    expect(counting.calls).toBe(1);

    const patched = new sn.nn.Conv2d(3, 4, 3);
    const original = patched.forward.bind(patched);
    patched.forward = (input) => original(input);
    expect(new sn.nn.Sequential(patched, new sn.nn.ReLU()).forward(x()).gradFn?.name).toBe('relu');
  });
});

describe('conv2d activation option', () => {
  it('throws a SimdnnError naming an activation it does not have', () => {
    const call = () => sn.F.conv2d(sn.zeros([1, 1, 4, 4]), sn.zeros([1, 1, 3, 3]), undefined, { activation: 'tanh' as 'relu' });
    expect(call).toThrow(sn.SimdnnError);
    expect(call).toThrow(/conv2d: activation 'tanh' is not supported \(only 'relu'\)/);
  });
});

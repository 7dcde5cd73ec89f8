// conv2d: forward, backward-input and backward-weight on the five shapes, in ms and GFLOP/s,
// for the wasm SIMD backend, the ts backend and tfjs-backend-wasm (one thread, NHWC: the same arithmetic).
import * as tfCore from '@tensorflow/tfjs-core';
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import type { Backend } from '../src/backend/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import { conv2dGeometry } from '../src/functional/conv2d.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

interface Shape {
  name: string;
  n: number; c: number; h: number; w: number; k: number; kernel: number; pad: number;
}

const shapes: Shape[] = [
  { name: 'A 64×1×28×28→8 5×5', n: 64, c: 1, h: 28, w: 28, k: 8, kernel: 5, pad: 0 },
  { name: 'B 64×8×12×12→16 5×5', n: 64, c: 8, h: 12, w: 12, k: 16, kernel: 5, pad: 0 },
  { name: 'C 32×3×32×32→32 3×3 p1', n: 32, c: 3, h: 32, w: 32, k: 32, kernel: 3, pad: 1 },
  { name: 'D 32×32×16×16→64 3×3 p1', n: 32, c: 32, h: 16, w: 16, k: 64, kernel: 3, pad: 1 },
  { name: 'E 1×64×56×56→64 3×3 p1', n: 1, c: 64, h: 56, w: 56, k: 64, kernel: 3, pad: 1 },
];

const passes = ['forward', 'backward input', 'backward weight'] as const;
type Pass = (typeof passes)[number];

function geometryOf(s: Shape): Conv2dGeometry {
  return conv2dGeometry([s.n, s.c, s.h, s.w], [s.k, s.c, s.kernel, s.kernel], [s.k], { padding: s.pad });
}

/** Mean ms of each pass on one of our backends. */
async function ourTimes(backend: Backend, g: Conv2dGeometry, timeMs: number): Promise<Record<Pass, number>> {
  const x = backend.fromValues(randomValues(g.n * g.c * g.h * g.w, 1));
  const w = backend.fromValues(randomValues(g.k * g.c * g.r * g.s, 2));
  const b = backend.fromValues(randomValues(g.k, 3));
  const dy = backend.fromValues(randomValues(g.n * g.k * g.outH * g.outW, 4));
  const y = backend.alloc(g.n * g.k * g.outH * g.outW);
  const dx = backend.alloc(g.n * g.c * g.h * g.w);
  const dw = backend.alloc(g.k * g.c * g.r * g.s);
  const db = backend.alloc(g.k);
  return {
    'forward': (await measure(() => backend.conv2dForward(y, x, w, b, g), timeMs)).ms,
    'backward input': (await measure(() => backend.conv2dBackwardInput(dx, dy, w, g), timeMs)).ms,
    'backward weight': (await measure(() => backend.conv2dBackwardWeight(dw, db, dy, x, g), timeMs)).ms,
  };
}

/** tfjs-wasm times (ms), or why a pass has none. */
async function tfjsTimes(g: Conv2dGeometry, timeMs: number): Promise<Record<Pass, number | string>> {
  const tf = await tfjsWasm();
  const x = tf.tensor4d(randomValues(g.n * g.h * g.w * g.c, 1), [g.n, g.h, g.w, g.c]);
  const f = tf.tensor4d(randomValues(g.r * g.s * g.c * g.k, 2), [g.r, g.s, g.c, g.k]);
  const b = tf.tensor1d(randomValues(g.k, 3));
  const dy = tf.tensor4d(randomValues(g.n * g.outH * g.outW * g.k, 4), [g.n, g.outH, g.outW, g.k]);
  const forward = await measure(() => tf.tidy(() => tf.add(tf.conv2d(x, f, 1, g.padH), b)).dispose(), timeMs);
  const backwardInput = await measure(() => tf.conv2dTranspose(dy, f, [g.n, g.h, g.w, g.c], 1, g.padH).dispose(), timeMs);
  const hasFilterGradient = tfCore.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined;
  for (const t of [x, f, b, dy]) t.dispose();
  return {
    'forward': forward.ms,
    'backward input': backwardInput.ms,
    'backward weight': hasFilterGradient ? 'not measured' : 'no wasm kernel (Conv2DBackpropFilter)',
  };
}

/** Rows per shape: each pass for wasm, ts and tfjs, then the backward total against our forward. */
export async function benchConv2d(peakGflops: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const shape of shapes) {
    const g = geometryOf(shape);
    const gflop = (2 * g.n * g.k * g.outH * g.outW * g.c * g.r * g.s) / 1e9;
    const wasm = await ourTimes(wasmBackend, g, 500);
    const ts = await ourTimes(tsBackend, g, 150);
    const tfjs = await tfjsTimes(g, 500);
    for (const pass of passes) {
      const peer = tfjs[pass];
      rows.push({
        shape: shape.name, pass,
        wasmMs: wasm[pass], wasmGflops: gflop / (wasm[pass] / 1e3), wasmPercentOfPeak: (100 * gflop / (wasm[pass] / 1e3)) / peakGflops,
        tsMs: ts[pass], tsGflops: gflop / (ts[pass] / 1e3),
        tfjsMs: peer, tfjsGflops: typeof peer === 'number' ? gflop / (peer / 1e3) : '-',
        wasmVsTfjs: typeof peer === 'number' ? peer / wasm[pass] : '-',
        wasmVsTs: ts[pass] / wasm[pass],
        bwdOverFwd: '',
      });
    }
    const backward = wasm['backward input'] + wasm['backward weight'];
    rows.push({
      shape: shape.name, pass: 'bwd input + weight', wasmMs: backward, wasmGflops: (2 * gflop) / (backward / 1e3),
      wasmPercentOfPeak: (100 * 2 * gflop / (backward / 1e3)) / peakGflops,
      tsMs: ts['backward input'] + ts['backward weight'], tsGflops: '-', tfjsMs: '-', tfjsGflops: '-',
      wasmVsTfjs: '-', wasmVsTs: (ts['backward input'] + ts['backward weight']) / backward,
      bwdOverFwd: backward / wasm.forward,
    });
  }
  return rows;
}

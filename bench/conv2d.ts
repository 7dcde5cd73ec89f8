// conv2d: forward, backward-input and backward-weight on the five shapes, in ms and GFLOP/s,
// for the wasm SIMD backend, the ts backend and tfjs-backend-wasm (one thread, NHWC: the same arithmetic).
// wasm and tfjs are timed in interleaved rounds and each keeps its best round, so a shared machine's
// changing load does not favour either; the ts backend (the baseline, ~20× slower) gets one round.
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import type { Backend } from '../src/backend/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import { conv2dGeometry } from '../src/functional/conv2d.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

export interface Shape {
  name: string;
  n: number; c: number; h: number; w: number; k: number; kernel: number; pad: number;
}

export const shapes: Shape[] = [
  { name: 'A 64×1×28×28→8 5×5', n: 64, c: 1, h: 28, w: 28, k: 8, kernel: 5, pad: 0 },
  { name: 'B 64×8×12×12→16 5×5', n: 64, c: 8, h: 12, w: 12, k: 16, kernel: 5, pad: 0 },
  { name: 'C 32×3×32×32→32 3×3 p1', n: 32, c: 3, h: 32, w: 32, k: 32, kernel: 3, pad: 1 },
  { name: 'D 32×32×16×16→64 3×3 p1', n: 32, c: 32, h: 16, w: 16, k: 64, kernel: 3, pad: 1 },
  { name: 'E 1×64×56×56→64 3×3 p1', n: 1, c: 64, h: 56, w: 56, k: 64, kernel: 3, pad: 1 },
];

const passes = ['forward', 'backward input', 'backward weight'] as const;
export type Pass = (typeof passes)[number];

export function geometryOf(s: Shape): Conv2dGeometry {
  return conv2dGeometry([s.n, s.c, s.h, s.w], [s.k, s.c, s.kernel, s.kernel], [s.k], { padding: s.pad });
}

/** GFLOP of one pass (each of the three passes does the same multiply-adds). */
export function convGflop(g: Conv2dGeometry): number {
  return (2 * g.n * g.k * g.outH * g.outW * g.c * g.r * g.s) / 1e9;
}

/** The three passes on one of our backends, as calls over fixed random operands. */
export function ourCalls(backend: Backend, g: Conv2dGeometry): Record<Pass, () => void> {
  const x = backend.fromValues(randomValues(g.n * g.c * g.h * g.w, 1));
  const w = backend.fromValues(randomValues(g.k * g.c * g.r * g.s, 2));
  const b = backend.fromValues(randomValues(g.k, 3));
  const dy = backend.fromValues(randomValues(g.n * g.k * g.outH * g.outW, 4));
  const y = backend.alloc(g.n * g.k * g.outH * g.outW);
  const dx = backend.alloc(g.n * g.c * g.h * g.w);
  const dw = backend.alloc(g.k * g.c * g.r * g.s);
  const db = backend.alloc(g.k);
  return {
    'forward': () => backend.conv2dForward(y, x, w, b, g),
    'backward input': () => backend.conv2dBackwardInput(dx, dy, w, g),
    'backward weight': () => backend.conv2dBackwardWeight(dw, db, dy, x, g),
  };
}

/** tfjs-wasm's calls for the passes it has a wasm kernel for (NHWC; no Conv2DBackpropFilter), and a release function. */
async function tfjsCalls(g: Conv2dGeometry): Promise<{ calls: Partial<Record<Pass, () => void>>; dispose: () => void }> {
  const tf = await tfjsWasm();
  const x = tf.tensor4d(randomValues(g.n * g.h * g.w * g.c, 1), [g.n, g.h, g.w, g.c]);
  const f = tf.tensor4d(randomValues(g.r * g.s * g.c * g.k, 2), [g.r, g.s, g.c, g.k]);
  const b = tf.tensor1d(randomValues(g.k, 3));
  const dy = tf.tensor4d(randomValues(g.n * g.outH * g.outW * g.k, 4), [g.n, g.outH, g.outW, g.k]);
  const calls: Partial<Record<Pass, () => void>> = {
    'forward': () => tf.tidy(() => tf.add(tf.conv2d(x, f, 1, g.padH), b)).dispose(),
    'backward input': () => tf.conv2dTranspose(dy, f, [g.n, g.h, g.w, g.c], 1, g.padH).dispose(),
  };
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) throw new Error('tfjs-wasm now has Conv2DBackpropFilter: measure it');
  return { calls, dispose: () => [x, f, b, dy].forEach((t) => t.dispose()) };
}

/**
 * Best mean ms of each call over `rounds` rounds that interleave the calls, so that a change in the
 * load of a shared machine hits every contender alike.
 */
async function bestTimes(calls: Record<string, () => void>, rounds: number, timeMs: number): Promise<Record<string, number>> {
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [key, fn] of Object.entries(calls)) {
      const { ms } = await measure(fn, timeMs);
      best[key] = Math.min(best[key] ?? Infinity, ms);
    }
  }
  return best;
}

/** Rows per shape: each pass for wasm, ts and tfjs, then the backward total against our forward. */
export async function benchConv2d(peakGflops: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const shape of shapes) {
    const g = geometryOf(shape);
    const gflop = convGflop(g);
    const peer = await tfjsCalls(g);
    const ours = ourCalls(wasmBackend, g);
    const calls: Record<string, () => void> = {};
    for (const pass of passes) {
      calls[`wasm ${pass}`] = ours[pass];
      const fn = peer.calls[pass];
      if (fn) calls[`tfjs ${pass}`] = fn;
    }
    const best = await bestTimes(calls, 8, 120);
    peer.dispose();
    const ts = await bestTimes(ourCalls(tsBackend, g), 1, 150);
    const wasm = (pass: Pass) => best[`wasm ${pass}`];
    for (const pass of passes) {
      const peerMs = best[`tfjs ${pass}`];
      rows.push({
        shape: shape.name, pass,
        wasmMs: wasm(pass), wasmGflops: gflop / (wasm(pass) / 1e3), wasmPercentOfPeak: (100 * gflop / (wasm(pass) / 1e3)) / peakGflops,
        tsMs: ts[pass], tsGflops: gflop / (ts[pass] / 1e3),
        tfjsMs: peerMs ?? 'no wasm kernel (Conv2DBackpropFilter)', tfjsGflops: peerMs ? gflop / (peerMs / 1e3) : '-',
        wasmVsTfjs: peerMs ? peerMs / wasm(pass) : '-',
        wasmVsTs: ts[pass] / wasm(pass),
        bwdOverFwd: '',
      });
    }
    const backward = wasm('backward input') + wasm('backward weight');
    const tsBackward = ts['backward input'] + ts['backward weight'];
    rows.push({
      shape: shape.name, pass: 'bwd input + weight', wasmMs: backward, wasmGflops: (2 * gflop) / (backward / 1e3),
      wasmPercentOfPeak: (100 * 2 * gflop / (backward / 1e3)) / peakGflops,
      tsMs: tsBackward, tsGflops: (2 * gflop) / (tsBackward / 1e3), tfjsMs: '-', tfjsGflops: '-',
      wasmVsTfjs: '-', wasmVsTs: tsBackward / backward,
      bwdOverFwd: backward / wasm('forward'),
    });
  }
  return rows;
}

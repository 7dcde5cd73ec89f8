// conv2d: forward, backward-input and backward-weight in ms and GFLOP/s on the shapes of issues #2 and
// #13 (A–E; ResNet-style 3×3 and 1×1 layers at 8×8–32×32 with 32–128 channels; depthwise 3×3), for
// the wasm backend with its default relaxed-SIMD kernels and with the portable SIMD128 ones
// (useDeterministicAlgorithms), the ts backend and tfjs-backend-wasm (one thread, NHWC: the same
// arithmetic; its fused convolution with bias, as tfjs-layers calls it, where ours fuses the bias too).
// wasm and tfjs are timed in interleaved rounds and each keeps its best round, so a shared machine's
// changing load does not favour either; the ts backend (the baseline, ~20× slower) gets one round.
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { useDeterministicAlgorithms, type Backend } from '../src/backend/index.js';
import type { Conv2dGeometry } from '../src/backend/conv-ops.js';
import { conv2dGeometry } from '../src/functional/conv2d.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

export interface Shape {
  name: string;
  n: number; c: number; h: number; w: number; k: number; kernel: number; pad: number;
  /** 1 (default), or c for a depthwise convolution. */
  groups?: number;
}

export const shapes: Shape[] = [
  { name: 'A 64×1×28×28→8 5×5', n: 64, c: 1, h: 28, w: 28, k: 8, kernel: 5, pad: 0 },
  { name: 'B 64×8×12×12→16 5×5', n: 64, c: 8, h: 12, w: 12, k: 16, kernel: 5, pad: 0 },
  { name: 'C 32×3×32×32→32 3×3 p1', n: 32, c: 3, h: 32, w: 32, k: 32, kernel: 3, pad: 1 },
  { name: 'D 32×32×16×16→64 3×3 p1', n: 32, c: 32, h: 16, w: 16, k: 64, kernel: 3, pad: 1 },
  { name: 'E 1×64×56×56→64 3×3 p1', n: 1, c: 64, h: 56, w: 56, k: 64, kernel: 3, pad: 1 },
  // ResNet-style blocks at 32×32, 16×16 and 8×8 (issue #13), 3×3 then 1×1, and depthwise 3×3.
  { name: 'F 8×32×32×32→32 3×3 p1', n: 8, c: 32, h: 32, w: 32, k: 32, kernel: 3, pad: 1 },
  { name: 'G 8×64×16×16→64 3×3 p1', n: 8, c: 64, h: 16, w: 16, k: 64, kernel: 3, pad: 1 },
  { name: 'H 8×128×8×8→128 3×3 p1', n: 8, c: 128, h: 8, w: 8, k: 128, kernel: 3, pad: 1 },
  { name: 'I 8×32×32×32→64 1×1', n: 8, c: 32, h: 32, w: 32, k: 64, kernel: 1, pad: 0 },
  { name: 'J 8×64×16×16→128 1×1', n: 8, c: 64, h: 16, w: 16, k: 128, kernel: 1, pad: 0 },
  { name: 'K 8×128×8×8→128 1×1', n: 8, c: 128, h: 8, w: 8, k: 128, kernel: 1, pad: 0 },
  { name: 'L 8×64×32×32 depthwise 3×3 p1', n: 8, c: 64, h: 32, w: 32, k: 64, kernel: 3, pad: 1, groups: 64 },
  { name: 'M 8×128×16×16 depthwise 3×3 p1', n: 8, c: 128, h: 16, w: 16, k: 128, kernel: 3, pad: 1, groups: 128 },
];

const passes = ['forward', 'backward input', 'backward weight'] as const;
export type Pass = (typeof passes)[number];

export function geometryOf(s: Shape): Conv2dGeometry {
  const groups = s.groups ?? 1;
  return conv2dGeometry([s.n, s.c, s.h, s.w], [s.k, s.c / groups, s.kernel, s.kernel], [s.k], { padding: s.pad, groups });
}

/** GFLOP of one pass (each of the three passes does the same multiply-adds). */
export function convGflop(g: Conv2dGeometry): number {
  return (2 * g.n * g.k * g.outH * g.outW * (g.c / g.groups) * g.r * g.s) / 1e9;
}

/** The three passes on one of our backends, as calls over fixed random operands. */
export function ourCalls(backend: Backend, g: Conv2dGeometry): Record<Pass, () => void> {
  const x = backend.fromValues(randomValues(g.n * g.c * g.h * g.w, 1));
  const w = backend.fromValues(randomValues(g.k * (g.c / g.groups) * g.r * g.s, 2));
  const b = backend.fromValues(randomValues(g.k, 3));
  const dy = backend.fromValues(randomValues(g.n * g.k * g.outH * g.outW, 4));
  const y = backend.alloc(g.n * g.k * g.outH * g.outW);
  const dx = backend.alloc(g.n * g.c * g.h * g.w);
  const dw = backend.alloc(g.k * (g.c / g.groups) * g.r * g.s);
  const db = backend.alloc(g.k);
  return {
    'forward': () => backend.conv2dForward(y, x, w, b, g),
    'backward input': () => backend.conv2dBackwardInput(dx, dy, w, g),
    'backward weight': () => backend.conv2dBackwardWeight(dw, db, dy, x, g),
  };
}

/**
 * tfjs-wasm's calls for the passes it has a wasm kernel for (NHWC: the fused convolution with bias,
 * depthwise or not, and the dense input gradient; no filter gradients), and a release function.
 */
async function tfjsCalls(g: Conv2dGeometry): Promise<{ calls: Partial<Record<Pass, () => void>>; dispose: () => void }> {
  const tf = await tfjsWasm();
  const depthwise = g.groups > 1;
  if (depthwise && g.groups !== g.c) throw new Error(`tfjs has no grouped convolution (${g.groups} groups of ${g.c} channels)`);
  const x = tf.tensor4d(randomValues(g.n * g.h * g.w * g.c, 1), [g.n, g.h, g.w, g.c]);
  const f = tf.tensor4d(randomValues(g.r * g.s * g.c * (depthwise ? 1 : g.k), 2), [g.r, g.s, g.c, depthwise ? 1 : g.k]);
  const b = tf.tensor1d(randomValues(g.k, 3));
  const dy = tf.tensor4d(randomValues(g.n * g.outH * g.outW * g.k, 4), [g.n, g.outH, g.outW, g.k]);
  const options = { x, filter: f, strides: 1, pad: g.padH, bias: b };
  const calls: Partial<Record<Pass, () => void>> = depthwise
    ? { 'forward': () => tf.fused.depthwiseConv2d(options).dispose() }
    : {
      'forward': () => tf.fused.conv2d(options).dispose(),
      'backward input': () => tf.conv2dTranspose(dy, f, [g.n, g.h, g.w, g.c], 1, g.padH).dispose(),
    };
  for (const kernel of ['Conv2DBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter']) {
    if (tf.getKernel(kernel, 'wasm')) throw new Error(`tfjs-wasm now has ${kernel}: measure it`);
  }
  return { calls, dispose: () => [x, f, b, dy].forEach((t) => t.dispose()) };
}

/** `call` with the portable kernels pinned (useDeterministicAlgorithms) while it runs. */
function portable(call: () => void): () => void {
  return () => {
    useDeterministicAlgorithms(true);
    try {
      call();
    } finally {
      useDeterministicAlgorithms(false);
    }
  };
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

/**
 * Rows per shape: each pass for wasm (default relaxed-SIMD kernels, and the portable ones), ts and
 * tfjs, then the backward total against our forward. Percentages of peak: the default kernels against
 * the FMA peak, the portable ones against the mul+add peak.
 */
export async function benchConv2d(peakGflops: number, fmaPeakGflops: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const shape of shapes) {
    const g = geometryOf(shape);
    const gflop = convGflop(g);
    const peer = await tfjsCalls(g);
    const ours = ourCalls(wasmBackend, g);
    const calls: Record<string, () => void> = {};
    for (const pass of passes) {
      calls[`wasm ${pass}`] = ours[pass];
      calls[`portable ${pass}`] = portable(ours[pass]);
      const fn = peer.calls[pass];
      if (fn) calls[`tfjs ${pass}`] = fn;
    }
    const best = await bestTimes(calls, 8, 120);
    peer.dispose();
    const ts = await bestTimes(ourCalls(tsBackend, g), 1, 150);
    const wasm = (pass: Pass) => best[`wasm ${pass}`];
    const gflops = (ms: number, passes = 1) => (passes * gflop) / (ms / 1e3);
    for (const pass of passes) {
      const peerMs = best[`tfjs ${pass}`];
      const portableMs = best[`portable ${pass}`];
      rows.push({
        shape: shape.name, pass,
        wasmMs: wasm(pass), wasmGflops: gflops(wasm(pass)), wasmPercentOfFmaPeak: (100 * gflops(wasm(pass))) / fmaPeakGflops,
        portableMs, portablePercentOfPeak: (100 * gflops(portableMs)) / peakGflops, wasmVsPortable: portableMs / wasm(pass),
        tsMs: ts[pass], tsGflops: gflops(ts[pass]),
        tfjsMs: peerMs ?? 'no wasm kernel', tfjsGflops: peerMs ? gflops(peerMs) : '-',
        wasmVsTfjs: peerMs ? peerMs / wasm(pass) : '-',
        wasmVsTs: ts[pass] / wasm(pass),
        bwdOverFwd: '',
      });
    }
    const backward = wasm('backward input') + wasm('backward weight');
    const portableBackward = best['portable backward input'] + best['portable backward weight'];
    const tsBackward = ts['backward input'] + ts['backward weight'];
    rows.push({
      shape: shape.name, pass: 'bwd input + weight', wasmMs: backward, wasmGflops: gflops(backward, 2),
      wasmPercentOfFmaPeak: (100 * gflops(backward, 2)) / fmaPeakGflops,
      portableMs: portableBackward, portablePercentOfPeak: (100 * gflops(portableBackward, 2)) / peakGflops, wasmVsPortable: portableBackward / backward,
      tsMs: tsBackward, tsGflops: gflops(tsBackward, 2), tfjsMs: '-', tfjsGflops: '-',
      wasmVsTfjs: '-', wasmVsTs: tsBackward / backward,
      bwdOverFwd: backward / wasm('forward'),
    });
  }
  return rows;
}

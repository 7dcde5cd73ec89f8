// 2-D pooling: wasm SIMD vs the ts backend vs tfjs-backend-wasm (one thread), forward and backward,
// in ms and in GB/s of the tensors each pass must read and write (pooling is memory-bound: it does
// about one flop per input element, so the machine's f32 peak is no yardstick for it).
// tfjs runs NHWC (its layout) on the same sizes; its average pooling leaves padding out of the
// divisor, which changes nothing here since the cases with padding are max pooling only.
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import type { Backend } from '../src/backend/index.js';
import { pool2dGeometry } from '../src/functional/pool2d.js';
import type { Pool2dGeometry } from '../src/backend/pool-ops.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

export interface Pool2dRow extends Record<string, string | number> {
  op: string;
  shape: string;
  pass: 'forward' | 'backward';
  wasmMs: number;
  tsMs: number;
  tfjsMs: number;
  wasmGBps: number;
  wasmVsTfjs: number;
  wasmVsTs: number;
}

interface Case { pool: 'max' | 'avg'; shape: [number, number, number, number]; kernel: number; stride: number; padding: number }

const cases: Case[] = [
  { pool: 'max', shape: [64, 8, 24, 24], kernel: 2, stride: 2, padding: 0 },
  { pool: 'max', shape: [32, 32, 32, 32], kernel: 2, stride: 2, padding: 0 },
  { pool: 'avg', shape: [64, 8, 24, 24], kernel: 2, stride: 2, padding: 0 },
  { pool: 'avg', shape: [32, 32, 32, 32], kernel: 2, stride: 2, padding: 0 },
  // Overlapping windows (ResNet's stem pooling) and stride 1: the general stride-2 and stride-1 paths.
  { pool: 'max', shape: [32, 32, 32, 32], kernel: 3, stride: 2, padding: 1 },
  { pool: 'max', shape: [32, 32, 32, 32], kernel: 3, stride: 1, padding: 1 },
];

/** Rounds per case; each peer is timed once per round, interleaved, and keeps its fastest round. */
const rounds = 5;
const timeMs = 150;

type Timer = () => Promise<number>;
type Timers = Record<'forward' | 'backward', Timer>;

function ourTimers(backend: Backend, { pool }: Case, g: Pool2dGeometry): Timers {
  const inSize = g.n * g.c * g.h * g.w;
  const outSize = g.n * g.c * g.outH * g.outW;
  const x = backend.fromValues(randomValues(inSize, 1));
  const y = backend.alloc(outSize);
  const dy = backend.fromValues(randomValues(outSize, 2));
  const dx = backend.alloc(inSize);
  const forward = pool === 'max' ? () => backend.maxPool2dForward(y, x, g) : () => backend.avgPool2dForward(y, x, g);
  const backward = pool === 'max' ? () => backend.maxPool2dBackward(dx, dy, x, g) : () => backend.avgPool2dBackward(dx, dy, g);
  return {
    forward: async () => (await measure(forward, timeMs)).ms,
    backward: async () => (await measure(backward, timeMs)).ms,
  };
}

async function tfjsTimers({ pool, kernel, stride, padding }: Case, g: Pool2dGeometry): Promise<Timers> {
  const tf = await tfjsWasm();
  const x = tf.tensor4d(randomValues(g.n * g.h * g.w * g.c, 1), [g.n, g.h, g.w, g.c]);
  const dy = tf.tensor4d(randomValues(g.n * g.outH * g.outW * g.c, 2), [g.n, g.outH, g.outW, g.c]);
  const pad = padding === 0 ? 'valid' : padding;
  const forwardOp = pool === 'max' ? tf.maxPool : tf.avgPool;
  const y = forwardOp(x, kernel, stride, pad);
  const attrs = { filterSize: kernel, strides: stride, pad };
  const backward = pool === 'max'
    ? () => (tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, attrs) as { dispose(): void }).dispose()
    : () => (tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, attrs) as { dispose(): void }).dispose();
  return {
    forward: async () => (await measure(() => forwardOp(x, kernel, stride, pad).dispose(), timeMs)).ms,
    backward: async () => (await measure(backward, timeMs)).ms,
  };
}

export async function benchPool2d(_peakGflops: number): Promise<Pool2dRow[]> {
  const rows: Pool2dRow[] = [];
  for (const c of cases) {
    const g = pool2dGeometry(c.shape, { kernelSize: c.kernel, stride: c.stride, padding: c.padding });
    const peers = { wasm: ourTimers(wasmBackend, c, g), ts: ourTimers(tsBackend, c, g), tfjs: await tfjsTimers(c, g) };
    const inBytes = 4 * g.n * g.c * g.h * g.w;
    const outBytes = 4 * g.n * g.c * g.outH * g.outW;
    for (const pass of ['forward', 'backward'] as const) {
      const best = { wasm: Infinity, ts: Infinity, tfjs: Infinity };
      for (let r = 0; r < rounds; r++) {
        for (const peer of ['wasm', 'ts', 'tfjs'] as const) best[peer] = Math.min(best[peer], await peers[peer][pass]());
      }
      // Forward reads x and writes y; backward reads dy (and x for max) and writes dx.
      const bytes = pass === 'forward' ? inBytes + outBytes : outBytes + inBytes * (c.pool === 'max' ? 2 : 1);
      rows.push({
        op: `${c.pool}Pool ${c.kernel}×${c.kernel}/${c.stride}${c.padding ? ` pad ${c.padding}` : ''}`,
        shape: c.shape.join('×'),
        pass,
        wasmMs: best.wasm, tsMs: best.ts, tfjsMs: best.tfjs,
        wasmGBps: bytes / (best.wasm * 1e6),
        wasmVsTfjs: best.tfjs / best.wasm,
        wasmVsTs: best.ts / best.wasm,
      });
    }
  }
  return rows;
}

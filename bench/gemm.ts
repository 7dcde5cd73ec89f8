// GEMM: wasm SIMD vs the ts backend vs tfjs-backend-wasm (one thread), in GFLOP/s and % of peak.
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import type { Backend } from '../src/backend/index.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

export interface GemmRow extends Record<string, string | number> {
  shape: string;
  wasmGflops: number;
  tsGflops: number;
  tfjsGflops: number;
  wasmPercentOfPeak: number;
  wasmVsTfjs: number;
  wasmVsTs: number;
}

const shapes: [number, number, number][] = [
  [64, 64, 64], [128, 128, 128], [256, 256, 256], [512, 512, 512], [1024, 1024, 1024],
  // Training-shaped: a batch of 64 through a 800→500 linear layer, and its weight gradient.
  [64, 500, 800], [500, 800, 64],
];

async function ourGflops(backend: Backend, m: number, n: number, k: number, timeMs: number): Promise<number> {
  const a = backend.fromValues(randomValues(m * k, 1));
  const b = backend.fromValues(randomValues(k * n, 2));
  const c = backend.alloc(m * n);
  const t = await measure(() => backend.gemm({ c, a, b, m, n, k }), timeMs);
  return (2 * m * n * k) / (t.ms * 1e6);
}

async function tfjsGflops(m: number, n: number, k: number, timeMs: number): Promise<number> {
  const tf = await tfjsWasm();
  const a = tf.tensor2d(randomValues(m * k, 1), [m, k]);
  const b = tf.tensor2d(randomValues(k * n, 2), [k, n]);
  const t = await measure(() => tf.matMul(a, b).dispose(), timeMs);
  a.dispose();
  b.dispose();
  return (2 * m * n * k) / (t.ms * 1e6);
}

export async function benchGemm(peakGflops: number): Promise<GemmRow[]> {
  const rows: GemmRow[] = [];
  for (const [m, n, k] of shapes) {
    const big = m * n * k >= 512 ** 3;
    const wasm = await ourGflops(wasmBackend, m, n, k, big ? 1500 : 500);
    const ts = await ourGflops(tsBackend, m, n, k, big ? 1500 : 500);
    const tfjs = await tfjsGflops(m, n, k, big ? 1500 : 500);
    rows.push({
      shape: `${m}×${n}×${k}`,
      wasmGflops: wasm, tsGflops: ts, tfjsGflops: tfjs,
      wasmPercentOfPeak: (100 * wasm) / peakGflops,
      wasmVsTfjs: wasm / tfjs,
      wasmVsTs: wasm / ts,
    });
  }
  return rows;
}

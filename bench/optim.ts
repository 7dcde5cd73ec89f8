// Optimiser steps over ~1M parameters: the fused wasm SIMD kernels vs the ts backend, through the
// public sn.optim API. Updates are memory-bound, so the figures are ms per step and GB/s of
// parameter, gradient and state traffic, with GFLOP/s and % of the SIMD peak for completeness.
import * as sn from '../src/index.js';
import { measure } from './measure.js';

const PARAMS = 1 << 20;

interface Config {
  name: string;
  make: (params: sn.Tensor[]) => sn.optim.Optimizer;
  /** Bytes read and written per parameter value (f32 param, grad and state). */
  bytes: number;
  /** Floating-point operations per parameter value in the kernel. */
  flops: number;
}

const configs: Config[] = [
  // Reads p, g, m, v; writes p, m, v. p·scale, 3 for m, 4 for v, √, ÷, +eps, ×step, ÷, +.
  { name: 'Adam', make: (p) => new sn.optim.Adam(p, { lr: 1e-3 }), bytes: 28, flops: 14 },
  // Reads p, g, b; writes p, b. 3 for the buffer, 2 for the update.
  { name: 'SGD momentum', make: (p) => new sn.optim.SGD(p, { lr: 0.01, momentum: 0.9 }), bytes: 20, flops: 5 },
];

async function stepMs(backend: sn.BackendName, config: Config): Promise<number> {
  sn.setBackend(backend);
  sn.manualSeed(1);
  const param = sn.randn([PARAMS]);
  param.requiresGrad = true;
  param.grad = sn.randn([PARAMS]);
  const opt = config.make([param]);
  const t = await measure(() => opt.step(), 500);
  return t.ms;
}

export async function benchOptim(peakGflops: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  try {
    for (const config of configs) {
      const wasm = await stepMs('wasm', config);
      const ts = await stepMs('ts', config);
      const gflops = (config.flops * PARAMS) / (wasm * 1e6);
      rows.push({
        step: config.name,
        params: PARAMS,
        wasmMs: wasm,
        tsMs: ts,
        wasmGBps: (config.bytes * PARAMS) / (wasm * 1e6),
        tsGBps: (config.bytes * PARAMS) / (ts * 1e6),
        wasmGflops: gflops,
        wasmPercentOfPeak: (100 * gflops) / peakGflops,
        wasmVsTs: ts / wasm,
      });
    }
  } finally {
    sn.setBackend('wasm');
  }
  return rows;
}

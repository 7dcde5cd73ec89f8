// GEMM: the wasm backend's relaxed-SIMD kernels (the default) and portable SIMD128 kernels
// (useDeterministicAlgorithms) vs the ts backend vs tfjs-backend-wasm (one thread), in GFLOP/s and %
// of the matching peak (the FMA peak for relaxed SIMD, the mul+add peak for SIMD128).
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { useDeterministicAlgorithms, type Backend } from '../src/backend/index.js';
import { measure } from './measure.js';
import { tfjsWasm } from './peers/tfjs.js';
import { randomValues } from '../tests/helpers/data.js';

export interface GemmRow extends Record<string, string | number> {
  shape: string;
  op: string;
  /** The default kernels (relaxed SIMD) and the portable ones. */
  wasmGflops: number;
  portableGflops: number;
  tsGflops: number;
  tfjsGflops: number;
  /** wasmGflops against the FMA peak, portableGflops against the mul+add peak. */
  wasmPercentOfFmaPeak: number;
  portablePercentOfPeak: number;
  wasmVsPortable: number;
  wasmVsTfjs: number;
  wasmVsTs: number;
}

/** C[m, n] = op(A)·op(B) with op(A) m×k and op(B) k×n; A is stored [k, m] when transA, B [n, k] when transB. */
export interface Case { m: number; n: number; k: number; transA?: boolean; transB?: boolean }

const cases: Case[] = [
  { m: 64, n: 64, k: 64 }, { m: 128, n: 128, k: 128 }, { m: 256, n: 256, k: 256 },
  { m: 512, n: 512, k: 512 }, { m: 1024, n: 1024, k: 1024 },
  // Training-shaped: a batch of 64 through an 800→500 linear layer and its weight gradient, first
  // plain (as in issue 2), then with the transposes training really uses (x·Wᵀ with W stored
  // [out, in]; gYᵀ·x), then the input gradient (gY·W).
  { m: 64, n: 500, k: 800 }, { m: 500, n: 800, k: 64 },
  { m: 64, n: 500, k: 800, transB: true }, { m: 500, n: 800, k: 64, transA: true }, { m: 64, n: 800, k: 500 },
  // One image of a 5×5 convolution, 8 → 16 channels on an 8×8 output, through im2col (W·cols).
  { m: 16, n: 64, k: 200 },
  // The classifier of a small CNN: a batch of 64, 256 features, 10 classes (x·Wᵀ).
  { m: 64, n: 10, k: 256, transB: true },
];

/**
 * Every case is timed in rounds: each round goes over all cases in turn and times each peer once,
 * and every figure comes from the peer's fastest call over all rounds. The bench machine is shared: a
 * call in which another process took the core shows that process, not the code; spreading a case's
 * rounds over the whole run keeps a long busy spell from taking all of them, and interleaving the
 * peers gives them the same quiet moments.
 */
const rounds = 8;

type Timer = (timeMs: number) => Promise<number>;

/** One GEMM of `shape` on `backend`, as a call over fixed random operands. */
export function gemmCall(backend: Backend, { m, n, k, transA = false, transB = false }: Case): () => void {
  const a = backend.fromValues(randomValues(m * k, 1));
  const b = backend.fromValues(randomValues(k * n, 2));
  const c = backend.alloc(m * n);
  return () => backend.gemm({ c, a, b, m, n, k, transA, transB });
}

/** A timer of `backend`'s GEMM; for the wasm backend, with the portable kernels when `deterministic`. */
function ourTimer(backend: Backend, shape: Case, deterministic = false): Timer {
  const call = gemmCall(backend, shape);
  return async (timeMs) => {
    useDeterministicAlgorithms(deterministic);
    try {
      return (await measure(call, timeMs)).minMs;
    } finally {
      useDeterministicAlgorithms(false);
    }
  };
}

async function tfjsTimer({ m, n, k, transA = false, transB = false }: Case): Promise<Timer> {
  const tf = await tfjsWasm();
  const a = tf.tensor2d(randomValues(m * k, 1), transA ? [k, m] : [m, k]);
  const b = tf.tensor2d(randomValues(k * n, 2), transB ? [n, k] : [k, n]);
  return async (timeMs) => (await measure(() => tf.matMul(a, b, transA, transB).dispose(), timeMs)).minMs;
}

export async function benchGemm(peakGflops: number, fmaPeakGflops: number): Promise<GemmRow[]> {
  const runs = [];
  for (const shape of cases) {
    const best = { wasm: Infinity, portable: Infinity, ts: Infinity, tfjs: Infinity };
    runs.push({
      shape, best, wasm: ourTimer(wasmBackend, shape), portable: ourTimer(wasmBackend, shape, true), ts: ourTimer(tsBackend, shape), tfjs: await tfjsTimer(shape),
    });
  }
  for (let r = 0; r < rounds; r++) {
    for (const { shape: { m, n, k }, best, wasm, portable, ts, tfjs } of runs) {
      const timeMs = m * n * k >= 512 ** 3 ? 300 : 100;
      best.wasm = Math.min(best.wasm, await wasm(timeMs));
      best.portable = Math.min(best.portable, await portable(timeMs));
      best.tfjs = Math.min(best.tfjs, await tfjs(timeMs));
      // The ts baseline is slow (seconds per call at 1024³): three rounds, one at 1024³.
      if (r < (m * n * k >= 1024 ** 3 ? 1 : 3)) best.ts = Math.min(best.ts, await ts(timeMs));
    }
  }
  return runs.map(({ shape: { m, n, k, transA, transB }, best }) => {
    const gflops = (ms: number) => (2 * m * n * k) / (ms * 1e6);
    const [wasmGflops, portableGflops, tsGflops, tfjsGflops] = [gflops(best.wasm), gflops(best.portable), gflops(best.ts), gflops(best.tfjs)];
    return {
      shape: `${m}×${n}×${k}`,
      op: `${transA ? 'Aᵀ' : 'A'}·${transB ? 'Bᵀ' : 'B'}`,
      wasmGflops, portableGflops, tsGflops, tfjsGflops,
      wasmPercentOfFmaPeak: (100 * wasmGflops) / fmaPeakGflops,
      portablePercentOfPeak: (100 * portableGflops) / peakGflops,
      wasmVsPortable: wasmGflops / portableGflops,
      wasmVsTfjs: wasmGflops / tfjsGflops,
      wasmVsTs: wasmGflops / tsGflops,
    };
  });
}

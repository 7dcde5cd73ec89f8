// Core tensor-op primitives (elementwise, reductions, softmax): wasm SIMD vs the ts backend on the
// same preallocated buffers, in ms and in GB/s of the tensors each call must read and write (these
// ops are memory-bound, except the transcendental ones (vectorised exp, tanh, log), bound by arithmetic).
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import type { Backend, Storage } from '../src/backend/index.js';
import { broadcastLayout } from '../src/backend/broadcast.js';
import { measure } from './measure.js';
import { randomValues } from '../tests/helpers/data.js';

export interface CoreOpsRow extends Record<string, string | number> {
  op: string;
  wasmMs: number;
  tsMs: number;
  wasmGBps: number;
  wasmVsTs: number;
}

const N = 1 << 20;

/** Buffers of N floats: x in [-1, 1), y in [1, 3) (a safe divisor), and two outputs. */
interface Buffers { x: Storage; y: Storage; out: Storage; out2: Storage }

/** name, floats read + written per call, the call. */
type Case = [string, number, (b: Backend, s: Buffers) => void];

const binary = (op: 'add' | 'mul', a: number[], b: number[], out: number[]) => {
  const layout = broadcastLayout(a, b, out);
  return (be: Backend, s: Buffers) => be.binary(op, s.out, s.x, s.y, layout);
};

const cases: Case[] = [
  ['add [1M] + [1M]', 3 * N, binary('add', [N], [N], [N])],
  ['add [4096, 256] + [256] (bias rows)', 2 * N, binary('add', [4096, 256], [256], [4096, 256])],
  ['add [64, 16, 32, 32] + [16, 1, 1]', 2 * N, binary('add', [64, 16, 32, 32], [16, 1, 1], [64, 16, 32, 32])],
  ['mul [1024, 1] · [1, 1024] (outer)', N, binary('mul', [1024, 1], [1, 1024], [1024, 1024])],
  ['relu [1M]', 2 * N, (be, s) => be.unary('relu', s.out, s.x, N)],
  ['relu backward [1M]', 3 * N, (be, s) => be.unaryBackward('relu', s.out, s.y, s.x, N)],
  ['sigmoid [1M]', 2 * N, (be, s) => be.unary('sigmoid', s.out, s.x, N)],
  ['tanh [1M]', 2 * N, (be, s) => be.unary('tanh', s.out, s.x, N)],
  ['log [1M]', 2 * N, (be, s) => be.unary('log', s.out, s.y, N)],
  ['sum [1M]', N, (be, s) => be.sumDim(s.out, s.x, 1, N, 1, 1)],
  ['sum dim 0 of [4096, 256]', N, (be, s) => be.sumDim(s.out, s.x, 1, 4096, 256, 1)],
  ['max dim 1 of [4096, 256]', N, (be, s) => be.maxDim(s.out, s.out2, s.x, 4096, 256, 1)],
  ['softmax dim 1 of [4096, 256]', 2 * N, (be, s) => be.softmax(s.out, s.x, 4096, 256, 1, false)],
  ['softmax backward dim 1 of [4096, 256]', 3 * N, (be, s) => be.softmaxBackward(s.out, s.y, s.x, 4096, 256, 1, false)],
  ['logSoftmax dim 1 of [64, 256, 64]', 2 * N, (be, s) => be.softmax(s.out, s.x, 64, 256, 64, true)],
];

const rounds = 3;
const timeMs = 150;

function buffers(backend: Backend): Buffers {
  return {
    x: backend.fromValues(randomValues(N, 1)),
    y: backend.fromValues(randomValues(N, 2).map((v) => v + 2)),
    out: backend.alloc(N),
    out2: backend.alloc(N),
  };
}

/** Each case timed on both backends in interleaved rounds; each keeps its fastest round. */
export async function benchCoreOps(): Promise<CoreOpsRow[]> {
  const wasm = buffers(wasmBackend);
  const ts = buffers(tsBackend);
  const rows: CoreOpsRow[] = [];
  for (const [op, floats, call] of cases) {
    let wasmMs = Infinity;
    let tsMs = Infinity;
    for (let r = 0; r < rounds; r++) {
      wasmMs = Math.min(wasmMs, (await measure(() => call(wasmBackend, wasm), timeMs)).ms);
      tsMs = Math.min(tsMs, (await measure(() => call(tsBackend, ts), timeMs)).ms);
    }
    rows.push({ op, wasmMs, tsMs, wasmGBps: (floats * 4) / (wasmMs * 1e6), wasmVsTs: tsMs / wasmMs });
  }
  return rows;
}

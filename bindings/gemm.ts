// Typed wrapper for the GEMM kernel (assembly/gemm.ts): flags as named options, rows of C split
// across the thread pool, one workspace per thread.
import { wasm } from './instance.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';
import { Scratch } from './pool/workspaces.js';

interface GemmExports {
  gemmWorkspaceBytes(): number;
  readonly GEMM_TRANS_A: WebAssembly.Global;
  readonly GEMM_TRANS_B: WebAssembly.Global;
  readonly GEMM_ACCUMULATE: WebAssembly.Global;
  readonly GEMM_BIAS_ROW: WebAssembly.Global;
  readonly GEMM_BIAS_COL: WebAssembly.Global;
  readonly GEMM_RELU: WebAssembly.Global;
}

export interface GemmCall {
  /** Byte addresses of C [m, n], A, B and the bias (0 for none). */
  c: number; a: number; b: number; bias: number;
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
  accumulate: boolean;
  biasAxis: 'none' | 'row' | 'col';
  relu: boolean;
  /** Row strides of A, B and C as stored (default: dense, the stored row length). */
  lda?: number; ldb?: number; ldc?: number;
}

/** Rows of C a thread's share is a multiple of: whole tiles of either build (4 rows portable, 3 relaxed). */
const ROW_ALIGN = 12;
// gemm(c, a, b, bias, m, n, k, lda, ldb, ldc, flags, rowStart, rowEnd, work)
const ROW_START_ARG = 11;
const WORK_ARG = 13;

const workspaces = new Scratch();

/**
 * C = op(A)·op(B) with the fused epilogue, over row-major matrices in wasm memory. Large products
 * are cut into row blocks that the pool's threads compute at once; every element of C is computed
 * by one thread in the same order whatever the cut, so the bits never depend on the thread count.
 */
export function gemm(call: GemmCall): void {
  const w = wasm<GemmExports>();
  let flags = 0;
  if (call.transA) flags |= w.GEMM_TRANS_A.value;
  if (call.transB) flags |= w.GEMM_TRANS_B.value;
  if (call.accumulate) flags |= w.GEMM_ACCUMULATE.value;
  if (call.biasAxis === 'row') flags |= w.GEMM_BIAS_ROW.value;
  if (call.biasAxis === 'col') flags |= w.GEMM_BIAS_COL.value;
  if (call.relu) flags |= w.GEMM_RELU.value;
  const { m, n, k } = call;
  const lda = call.lda ?? (call.transA ? m : k);
  const ldb = call.ldb ?? (call.transB ? k : n);
  const ldc = call.ldc ?? n;
  runChunked({
    op: 'gemm',
    kernel: 'gemm',
    args: [call.c, call.a, call.b, call.bias, m, n, k, lda, ldb, ldc, flags, 0, m, 0],
    rangeArg: ROW_START_ARG,
    total: m,
    chunkSize: chunkSize(m, 2 * m * n * k, RATES.flops, ROW_ALIGN),
    workspaces: { arg: WORK_ARG, bySlot: workspaces.bySlot(w.gemmWorkspaceBytes()) },
  });
}

// Typed wrapper for the GEMM kernel (assembly/gemm.ts): flags as named options, scratch allocated once.
import { wasm } from './instance.js';
import { allocFloats } from './memory.js';

interface GemmExports {
  gemm(
    c: number, a: number, b: number, bias: number,
    m: number, n: number, k: number,
    lda: number, ldb: number, ldc: number,
    flags: number, rowStart: number, rowEnd: number,
    work: number,
  ): void;
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
  /** Compute only rows [start, end) of C (default: all); a worker's share of a split product. */
  rows?: [number, number];
}

let workspace = 0;

/** C = op(A)·op(B) with the fused epilogue, over row-major matrices in wasm memory. */
export function gemm(call: GemmCall): void {
  const w = wasm<GemmExports>();
  if (workspace === 0) workspace = allocFloats(w.gemmWorkspaceBytes() / 4);
  let flags = 0;
  if (call.transA) flags |= w.GEMM_TRANS_A.value;
  if (call.transB) flags |= w.GEMM_TRANS_B.value;
  if (call.accumulate) flags |= w.GEMM_ACCUMULATE.value;
  if (call.biasAxis === 'row') flags |= w.GEMM_BIAS_ROW.value;
  if (call.biasAxis === 'col') flags |= w.GEMM_BIAS_COL.value;
  if (call.relu) flags |= w.GEMM_RELU.value;
  const lda = call.lda ?? (call.transA ? call.m : call.k);
  const ldb = call.ldb ?? (call.transB ? call.k : call.n);
  const ldc = call.ldc ?? call.n;
  const [rowStart, rowEnd] = call.rows ?? [0, call.m];
  w.gemm(call.c, call.a, call.b, call.bias, call.m, call.n, call.k, lda, ldb, ldc, flags, rowStart, rowEnd, workspace);
}

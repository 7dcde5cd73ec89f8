// Typed wrappers for the kernel exports: flags as named options, scratch allocated once.
import { wasm } from './instance.js';
import { allocFloats } from './memory.js';

export interface GemmCall {
  /** Byte addresses of C [m, n], A, B and the bias (0 for none). */
  c: number; a: number; b: number; bias: number;
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
  accumulate: boolean;
  biasAxis: 'none' | 'row' | 'col';
  relu: boolean;
  /** Compute only rows [start, end) of C (default: all); a worker's share of a split product. */
  rows?: [number, number];
}

let gemmWorkspace = 0;

/** C = op(A)·op(B) with the fused epilogue; matrices are dense row-major (leading dimension = row length). */
export function gemm(call: GemmCall): void {
  const w = wasm();
  if (gemmWorkspace === 0) gemmWorkspace = allocFloats(w.gemmWorkspaceBytes() / 4);
  let flags = 0;
  if (call.transA) flags |= w.GEMM_TRANS_A.value;
  if (call.transB) flags |= w.GEMM_TRANS_B.value;
  if (call.accumulate) flags |= w.GEMM_ACCUMULATE.value;
  if (call.biasAxis === 'row') flags |= w.GEMM_BIAS_ROW.value;
  if (call.biasAxis === 'col') flags |= w.GEMM_BIAS_COL.value;
  if (call.relu) flags |= w.GEMM_RELU.value;
  const lda = call.transA ? call.m : call.k;
  const ldb = call.transB ? call.k : call.n;
  const [rowStart, rowEnd] = call.rows ?? [0, call.m];
  w.gemm(call.c, call.a, call.b, call.bias, call.m, call.n, call.k, lda, ldb, call.n, flags, rowStart, rowEnd, gemmWorkspace);
}

/** Measures wasm SIMD peak work: runs `iterations` of the peak loop and returns flops done. */
export function simdPeak(iterations: number): { flops: number; checksum: number } {
  const w = wasm();
  const checksum = w.simdPeak(iterations, 1e-7);
  return { flops: iterations * w.SIMD_PEAK_FLOPS_PER_ITERATION.value, checksum };
}

/** Overwrites `n` u32 random words at `ptr` with standard normal f32 values. */
export function fillNormalFromBits(ptr: number, n: number): void {
  wasm().fillNormalFromBits(ptr, n);
}

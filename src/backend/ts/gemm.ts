import type { GemmArgs } from '../backend.js';
import { tsData } from './storage.js';

// GEMM in plain TypeScript, written for speed the way a careful JS programmer would, so that it is a
// fair baseline: transposed operands are first copied row-major, then four rows of C are updated per
// pass over a row of B (each B load feeds four multiply-adds), streaming contiguous memory.
export function gemm(args: GemmArgs): void {
  const { m, n, k, transA = false, transB = false, accumulate = false, bias, relu = false } = args;
  const C = tsData(args.c).subarray(args.offsetC ?? 0, (args.offsetC ?? 0) + m * n);
  const aSrc = tsData(args.a).subarray(args.offsetA ?? 0, (args.offsetA ?? 0) + m * k);
  const bSrc = tsData(args.b).subarray(args.offsetB ?? 0, (args.offsetB ?? 0) + k * n);
  const A = transA ? transpose(aSrc, k, m) : aSrc; // [m, k]
  const B = transB ? transpose(bSrc, n, k) : bSrc; // [k, n]
  if (!accumulate) C.fill(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const r0 = i * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
    for (let p = 0; p < k; p++) {
      const a0 = A[r0 + p], a1 = A[r1 + p], a2 = A[r2 + p], a3 = A[r3 + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) {
        const b = B[bRow + j];
        C[c0 + j] += a0 * b;
        C[c1 + j] += a1 * b;
        C[c2 + j] += a2 * b;
        C[c3 + j] += a3 * b;
      }
    }
  }
  for (; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) C[cRow + j] += a * B[bRow + j];
    }
  }
  if (bias) {
    const v = tsData(bias.values);
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < n; j++) C[r * n + j] += bias.axis === 'row' ? v[r] : v[j];
    }
  }
  if (relu) {
    for (let e = 0; e < m * n; e++) if (C[e] <= 0) C[e] = 0; // NaN fails the test and stays NaN
  }
}

/** The transpose of a row-major [rows, cols] matrix. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) out[col * rows + r] = x[r * cols + col];
  }
  return out;
}

import type { GemmArgs } from '../backend.js';
import { tsData } from './storage.js';

// Reference-quality GEMM in plain TypeScript, written for speed the way a careful JS programmer
// would: op(B) is made row-major [k, n] once (a copy only when transposed), then the i-k-j loop order
// streams contiguous rows of B and C through the inner loop.
export function gemm(args: GemmArgs): void {
  const { m, n, k, transA = false, transB = false, accumulate = false, bias, relu = false } = args;
  const C = tsData(args.c).subarray(args.offsetC ?? 0, (args.offsetC ?? 0) + m * n);
  const A = tsData(args.a).subarray(args.offsetA ?? 0, (args.offsetA ?? 0) + m * k);
  const Bsrc = tsData(args.b).subarray(args.offsetB ?? 0, (args.offsetB ?? 0) + k * n);
  const B = transB ? transpose(Bsrc, n, k) : Bsrc;
  if (!accumulate) C.fill(0);
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = transA ? A[p * m + i] : A[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) C[cRow + j] += aip * B[bRow + j];
    }
  }
  if (bias) {
    const v = tsData(bias.values);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) C[i * n + j] += bias.axis === 'row' ? v[i] : v[j];
    }
  }
  if (relu) {
    for (let i = 0; i < m * n; i++) if (C[i] <= 0) C[i] = 0; // NaN fails the test and stays NaN
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

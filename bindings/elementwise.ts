// Typed wrappers for the elementwise kernels (assembly/elementwise.ts); large calls are split across
// the thread pool: unary ops and rank-1 binary ops by element ranges, broadcast binary ops by rows.
import { wasm } from './instance.js';
import { LayoutScratch } from './layout-scratch.js';
import { runOverElements, runOverRange } from './ranges.js';

interface ElementwiseExports {
  readonly BINARY_MAX_RANK: WebAssembly.Global;
}

// Op codes: the order of the BINARY_* and UNARY_* constants in assembly/elementwise.ts.
const binaryCodes = { add: 0, sub: 1, mul: 2, div: 3 };
const unaryCodes = {
  neg: 0, relu: 1, leakyRelu: 2, sigmoid: 3, tanh: 4, exp: 5, log: 6, sqrt: 7, pow: 8,
  relu6: 9, silu: 10, gelu: 11, geluTanh: 12, hardswish: 13, hardsigmoid: 14,
};

export type BinaryOpName = keyof typeof binaryCodes;
export type UnaryOpName = keyof typeof unaryCodes;

const layout = new LayoutScratch(); // dims, aStrides, bStrides

/**
 * out = a ∘ b where out is dense over `dims` and a, b are read at `aStrides`, `bStrides` (floats; 0
 * repeats). Byte addresses. Rank 1 runs one SIMD row (same-shape and scalar-operand paths).
 */
export function binary(op: BinaryOpName, out: number, a: number, b: number, dims: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const w = wasm<ElementwiseExports>();
  const code = binaryCodes[op];
  const rank = dims.length;
  if (rank === 1) {
    // Streams per element: out, and a and b unless one repeats a scalar.
    runOverElements('binaryRow', [code, out, a, aStrides[0], b, bStrides[0]], dims[0], 1 + Number(aStrides[0] !== 0) + Number(bStrides[0] !== 0));
    return;
  }
  const maxRank: number = w.BINARY_MAX_RANK.value;
  if (rank > maxRank) {
    // More dimensions than the kernel takes: one call per index of the first dimension.
    const outStride = dims.slice(1).reduce((x, y) => x * y, 1);
    for (let j = 0; j < dims[0]; j++) {
      binary(op, out + 4 * j * outStride, a + 4 * j * aStrides[0], b + 4 * j * bStrides[0], dims.slice(1), aStrides.slice(1), bStrides.slice(1));
    }
    return;
  }
  const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
  // Rows of the last dimension; each reads a and b (often from cache when broadcast) and writes out.
  runOverRange('binaryStrided', [code, out, a, b, rank, ...layout.write(maxRank, dims, aStrides, bStrides)], rows, 3 * rows * dims[rank - 1]);
}

/** out[i] = f(x[i]) for i < n. */
export function unaryForward(op: UnaryOpName, out: number, x: number, n: number, param: number): void {
  runOverElements('unaryForward', [unaryCodes[op], out, x, param], n, 2);
}

/** gx[i] = gy[i]·f'(saved[i]) for i < n. */
export function unaryBackward(op: UnaryOpName, gx: number, gy: number, saved: number, n: number, param: number): void {
  runOverElements('unaryBackward', [unaryCodes[op], gx, gy, saved, param], n, 3);
}

// Typed wrappers for the elementwise kernels (assembly/elementwise.ts); large unary calls are split
// across the thread pool by element ranges.
import { wasm } from './instance.js';
import { allocFloats, u32View } from './memory.js';
import { runChunked } from './pool/pool.js';
import { chunkSize, RATES } from './pool/split.js';

interface ElementwiseExports {
  binaryRow(op: number, out: number, a: number, sa: number, b: number, sb: number, n: number): void;
  binaryStrided(op: number, out: number, a: number, b: number, rank: number, dims: number, aStrides: number, bStrides: number, rowStart: number, rowEnd: number): void;
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

let layoutScratch = 0; // dims, aStrides, bStrides: three i32[BINARY_MAX_RANK]

/**
 * out = a ∘ b where out is dense over `dims` and a, b are read at `aStrides`, `bStrides` (floats; 0
 * repeats). Byte addresses. Rank 1 runs one SIMD row (same-shape and scalar-operand paths).
 */
export function binary(op: BinaryOpName, out: number, a: number, b: number, dims: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): void {
  const w = wasm<ElementwiseExports>();
  const code = binaryCodes[op];
  const rank = dims.length;
  if (rank === 1) {
    w.binaryRow(code, out, a, aStrides[0], b, bStrides[0], dims[0]);
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
  if (layoutScratch === 0) layoutScratch = allocFloats(3 * maxRank);
  const view = u32View(layoutScratch, 3 * maxRank);
  view.set(dims, 0);
  view.set(aStrides, maxRank);
  view.set(bStrides, 2 * maxRank);
  const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
  w.binaryStrided(code, out, a, b, rank, layoutScratch, layoutScratch + 4 * maxRank, layoutScratch + 8 * maxRank, 0, rows);
}

/** Elements of a thread's share: a multiple of the SIMD width. */
const ELEMENT_ALIGN = 4;

/** Runs an elementwise kernel whose last two arguments are the element range [start, end) of n. */
function runOverElements(kernel: string, args: number[], n: number, streams: number): void {
  const all = [...args, 0, n];
  runChunked({ op: kernel, kernel, args: all, rangeArg: all.length - 2, total: n, chunkSize: chunkSize(n, streams * n, RATES.floats, ELEMENT_ALIGN) });
}

/** out[i] = f(x[i]) for i < n. */
export function unaryForward(op: UnaryOpName, out: number, x: number, n: number, param: number): void {
  runOverElements('unaryForward', [unaryCodes[op], out, x, param], n, 2);
}

/** gx[i] = gy[i]·f'(saved[i]) for i < n. */
export function unaryBackward(op: UnaryOpName, gx: number, gy: number, saved: number, n: number, param: number): void {
  runOverElements('unaryBackward', [unaryCodes[op], gx, gy, saved, param], n, 3);
}

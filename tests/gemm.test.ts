import { describe, expect, it } from 'vitest';
import type { Backend } from '../src/backend/index.js';
import { tsBackend } from '../src/backend/ts/index.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { referenceGemm, type ReferenceGemm } from './helpers/reference-gemm.js';
import { expectClose, randomValues } from './helpers/data.js';

const backends: Backend[] = [wasmBackend, tsBackend];
const transposes = [[false, false], [false, true], [true, false], [true, true]] as const;

/** Runs one GEMM on `backend` and compares it with the f64 reference within f32 rounding bounds. */
function checkGemm(backend: Backend, o: ReferenceGemm, seed: number): void {
  const a = randomValues(o.m * o.k, seed);
  const b = randomValues(o.k * o.n, seed + 1);
  const c = randomValues(o.m * o.n, seed + 2);
  const { out, scale } = referenceGemm(a, b, c, o);
  const cs = backend.fromValues(c);
  backend.gemm({
    c: cs, a: backend.fromValues(a), b: backend.fromValues(b), m: o.m, n: o.n, k: o.k,
    transA: o.transA, transB: o.transB, accumulate: o.accumulate, relu: o.relu,
    bias: o.bias && { values: backend.fromValues(o.bias.values), axis: o.bias.axis },
  });
  const bound = (i: number) => (o.k + 2) * 2 ** -23 * scale[i] + 1e-30;
  expectClose(backend.read(cs), out, bound, `${backend.name} gemm ${JSON.stringify({ ...o, bias: o.bias?.axis })}`);
}

describe.each(backends)('$name backend GEMM', (backend) => {
  const small = [1, 3, 7, 17];
  it('matches the reference for every small shape and transpose combination', () => {
    let seed = 1;
    for (const m of small) for (const n of small) for (const k of small) for (const [transA, transB] of transposes) {
      checkGemm(backend, { m, n, k, transA, transB, accumulate: false, relu: false }, seed++);
    }
  });

  // Shapes that cross the micro-tile (4×8), the K block (256), the M block (128) and the N block (1024),
  // that end in a panel of at most four columns (the 4×4 edge kernel: n = 10, 12, 1100), and that take
  // the unpacked dot-product path (A·Bᵀ with n < 16 or m < 4, here with k % 4 = 1 and 3 and a short
  // row group). With m ≤ 16 a row-major B is read in place (m = 1, 9, and the small shapes above).
  const large: [number, number, number][] = [
    [63, 65, 127], [257, 63, 65], [65, 257, 17], [127, 127, 257], [1, 257, 257], [257, 1, 63], [130, 1100, 270],
    [64, 10, 256], [9, 12, 37], [63, 11, 257],
  ];
  it.each(large)('matches the reference at m=%i n=%i k=%i with every transpose combination', (m, n, k) => {
    for (const [transA, transB] of transposes) {
      checkGemm(backend, { m, n, k, transA, transB, accumulate: false, relu: false }, m * 7 + n * 3 + k);
    }
  });

  it('applies the epilogue: accumulate into C, row or column bias, ReLU', () => {
    let seed = 100;
    for (const [m, n, k] of [[7, 17, 3], [65, 63, 257], [4, 8, 5]] as const) {
      for (const accumulate of [false, true]) for (const relu of [false, true]) for (const axis of ['row', 'col', undefined] as const) {
        const bias = axis && { values: randomValues(axis === 'row' ? m : n, seed + 9), axis };
        for (const [transA, transB] of transposes) {
          checkGemm(backend, { m, n, k, transA, transB, accumulate, relu, bias }, seed++);
        }
      }
    }
  });

  it('with k = 0 gives the epilogue alone (zeros, or C when accumulating)', () => {
    checkGemm(backend, { m: 5, n: 9, k: 0, transA: false, transB: false, accumulate: false, relu: false }, 7);
    checkGemm(backend, { m: 5, n: 9, k: 0, transA: false, transB: false, accumulate: true, relu: true, bias: { values: randomValues(9, 3), axis: 'col' } }, 8);
  });

  it('keeps NaN through ReLU and propagates infinities like IEEE arithmetic', () => {
    const a = backend.fromValues([NaN, 1, Infinity, 1]);
    const b = backend.fromValues([1, 1]);
    const c = backend.alloc(2);
    backend.gemm({ c, a, b, m: 2, n: 1, k: 2, relu: true });
    const out = backend.read(c);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBe(Infinity);
  });

  it('reads and writes at storage offsets (batched products)', () => {
    const a = randomValues(2 * 3 * 4, 5);
    const b = randomValues(4 * 2, 6);
    const c = backend.alloc(2 * 3 * 2 + 1);
    backend.gemm({ c, a: backend.fromValues(a), b: backend.fromValues(b), m: 3, n: 2, k: 4, offsetA: 12, offsetC: 7 });
    const { out, scale } = referenceGemm(a.subarray(12), b, new Float32Array(6), { m: 3, n: 2, k: 4, transA: false, transB: false, accumulate: false, relu: false });
    const got = backend.read(c);
    expectClose(got.subarray(7, 13), out, (i) => 6 * 2 ** -23 * scale[i], 'offset gemm');
    expect(Array.from(got.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

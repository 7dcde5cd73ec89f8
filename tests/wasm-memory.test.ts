import { describe, expect, it } from 'vitest';
import { allocFloats, f32View, freeFloats, memoryBytes } from '../bindings/memory.js';
import { gemm } from '../bindings/gemm.js';
import { wasmBackend } from '../src/backend/wasm/index.js';
import { referenceGemm } from './helpers/reference-gemm.js';
import { expectClose, randomValues } from './helpers/data.js';
import { kernel, workspace } from './helpers/kernels.js';

describe('wasm memory', () => {
  it('keeps results right after linear memory grows past its initial size', () => {
    const a = randomValues(33 * 21, 1);
    const b = randomValues(21 * 19, 2);
    const as = wasmBackend.fromValues(a);
    const bs = wasmBackend.fromValues(b);
    const before = memoryBytes();
    // 64 MiB more than the initial memory forces growth; views made before this are now detached.
    const big = wasmBackend.alloc(16 * 1024 * 1024);
    expect(memoryBytes()).toBeGreaterThan(before);
    const c = wasmBackend.alloc(33 * 19);
    wasmBackend.gemm({ c, a: as, b: bs, m: 33, n: 19, k: 21 });
    const { out, scale } = referenceGemm(a, b, new Float32Array(33 * 19), { m: 33, n: 19, k: 21, transA: false, transB: false, accumulate: false, relu: false });
    expectClose(wasmBackend.read(c), out, (i) => 23 * 2 ** -23 * scale[i], 'gemm after growth');
    expect(Array.from(wasmBackend.read(as))).toEqual(Array.from(a));
    wasmBackend.free(big);
  });

  it('returns zero-filled buffers, also when reusing freed memory', () => {
    const p = allocFloats(1000);
    f32View(p, 1000).fill(7);
    freeFloats(p);
    const q = allocFloats(1000);
    expect(f32View(q, 1000).every((v) => v === 0)).toBe(true);
    freeFloats(q);
  });

  it('refuses an allocation of 1 GiB or more with a clear error', () => {
    expect(() => allocFloats(2 ** 28)).toThrow(/under 1 GiB/);
  });

  it('throws when storage is used after dispose()', () => {
    const s = wasmBackend.alloc(4);
    wasmBackend.free(s);
    expect(() => wasmBackend.read(s)).toThrow(/after dispose/);
  });

  // n = 21 takes the packed path (reading B in place when not transposed, as m ≤ 16), n = 10 with B
  // transposed the unpacked dot-product path.
  it.each([[13, 21, 35], [13, 10, 35]])('honours row strides lda, ldb and ldc wider than the rows, and leaves the gaps alone (m=%i n=%i k=%i)', (m, n, k) => {
    const pad = 3;
    for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
      const a = randomValues(m * k, 6);
      const b = randomValues(k * n, 7);
      const [aRows, aCols] = transA ? [k, m] : [m, k];
      const [bRows, bCols] = transB ? [n, k] : [k, n];
      const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
      const wide = (values: Float32Array, rows: number, cols: number, ld: number) => {
        const out = new Float32Array(rows * ld).fill(7);
        for (let r = 0; r < rows; r++) out.set(values.subarray(r * cols, (r + 1) * cols), r * ld);
        return out;
      };
      const as = wasmBackend.fromValues(wide(a, aRows, aCols, lda));
      const bs = wasmBackend.fromValues(wide(b, bRows, bCols, ldb));
      const cs = wasmBackend.fromValues(new Float32Array(m * ldc).fill(7));
      const addr = (s: unknown) => (s as { ptr: number }).ptr;
      gemm({ c: addr(cs), a: addr(as), b: addr(bs), bias: 0, m, n, k, lda, ldb, ldc, transA, transB, accumulate: false, biasAxis: 'none', relu: false });
      const { out, scale } = referenceGemm(a, b, new Float32Array(m * n), { m, n, k, transA, transB, accumulate: false, relu: false });
      const got = wasmBackend.read(cs);
      const dense = new Float32Array(m * n);
      for (let r = 0; r < m; r++) {
        dense.set(got.subarray(r * ldc, r * ldc + n), r * n);
        expect(Array.from(got.subarray(r * ldc + n, (r + 1) * ldc))).toEqual([7, 7, 7]);
      }
      expectClose(dense, out, (i) => (k + 2) * 2 ** -23 * scale[i], `strided gemm transA=${transA} transB=${transB}`);
    }
  });

  it.each([[37, 29, 300], [37, 10, 299]])('computes any row range of C on its own, so a product can be split across workers (m=%i n=%i k=%i)', (m, n, k) => {
    const a = wasmBackend.fromValues(randomValues(m * k, 4));
    const b = wasmBackend.fromValues(randomValues(k * n, 5));
    const whole = wasmBackend.alloc(m * n);
    const split = wasmBackend.alloc(m * n);
    const addr = (s: unknown) => (s as { ptr: number }).ptr;
    const work = workspace(kernel('gemmWorkspaceBytes')());
    const transB = 2; // GEMM_TRANS_B
    const product = (c: number, [start, end]: number[]) => kernel('gemm')(c, addr(a), addr(b), 0, m, n, k, k, k, n, transB, start, end, work);
    product(addr(whole), [0, m]);
    for (const rows of [[0, 5], [5, 18], [18, 20], [20, 37]]) product(addr(split), rows);
    expect(wasmBackend.read(split)).toEqual(wasmBackend.read(whole));
  });
});

// f32 GEMM, wasm SIMD: C = op(A) · op(B), with an optional fused epilogue.
//
//   op(A) is M×K: A is [M, K] row-major (row stride lda), or [K, M] when GEMM_TRANS_A is set.
//   op(B) is K×N: B is [K, N] row-major (row stride ldb), or [N, K] when GEMM_TRANS_B is set.
//   C is [M, N] row-major (row stride ldc).
//   Epilogue, in this order: C = (GEMM_ACCUMULATE ? C : 0) + op(A)·op(B);
//   then + bias[m] (GEMM_BIAS_ROW) or + bias[n] (GEMM_BIAS_COL); then max(·, 0) (GEMM_RELU).
//
// Structure (Goto/BLIS): K is cut into equal blocks of at most KC (no short last block); the K×N
// operand is packed into KC×NC blocks of NR-wide column panels, the M×K operand into MC×KC blocks of
// MR-high row panels (zero-padded at the edges); the micro-kernel keeps an MR×NR tile of C in v128
// accumulators while it streams K, broadcasting A (v128.load32_splat) and loading B as f32x4:
// f32-gemm-4x8-wasmsimd in the portable build; in the relaxed-SIMD build (asconfig.relaxed.json;
// madd.ts, fused multiply-add) f32-gemm-3x12-wasmrelaxedsimd, or the 4×8 tile where the shape suits
// it better (gemmTile: 16×64, 128×64). Transposed operands are packed through 4×4
// SIMD transposes. Edge tiles are computed whole into a scratch tile and stored by a scalar path; a
// panel of at most four columns (N = 10 leaves one of two) uses an MR×4 kernel instead of wasting
// most of a full one. With at most 16 rows (a convolution's weights times its im2col matrix)
// row-major B is read in place, full panels straight from B (row stride ldb, unless a multiple of
// 2 KB), since each packed panel would serve too few row panels to repay the copy.
// A block's row panels are packed during its sweep of the first column panel, each just before the
// first tile that reads it (two beside a narrow panel), not all MC rows ahead: the tile reads the
// panel while it is still in L1, and the copy runs between FMA-bound tiles rather than alone before
// them (relaxed build, one thread, both builds interleaved in one process: 256³ +1–2 %, 512³ +1–7 %,
// 1024³ +4–9 %; the portable build unchanged). Reading row-major A in place instead (three row
// pointers per k step) was 2–3 % slower: the packed panel needs one pointer.
// Every tile kernel of the packed path computes each element of C as the same chain of multiply-adds
// in k order, so which kernel serves an element (full tile, edge tile, narrow panel), which depends on
// where the panel boundaries fall, never changes its bits: a convolution that splits an image's pixels
// across threads gives the GEMM a different N per thread and must still get the same bits (splitting
// k into two chains in the narrow kernel broke exactly that).
// A·Bᵀ with fewer than 2·NR columns or MR rows of the build's widest tile (a classifier, x·Wᵀ; one
// sample through a linear layer) skips packing: rows of A and of B are both contiguous in k, so gemmDotRows forms dot
// products in f32x4 lanes (f32-gemm-dot-4x2-wasmsimd). Only rows [rowStart, rowEnd) of C are
// written, so one product can be split into row ranges across workers, with the same bits as the
// whole; each caller passes its own workspace of gemmWorkspaceBytes() bytes.
//
// Why these tiles (Node 20 / V8 11.3, x64; measured on this repository's 2-core Xeon with AVX-512,
// whose FMA and mul pipes are p0 and p1 and add pipes p1 and p5). V8 allocates 15 xmm registers
// (xmm15 is its scratch) and emits a loop body's loads ahead of its arithmetic (seen with
// --print-wasm-code), so a k step needs its loaded values and all accumulators live at once, plus
// one product register when multiply and add are separate. Portable: 4×8 = 8 accumulators + 4 + 2
// loads + 1 product = 15; a 5×8, 6×8 or 3×12 tile, or K unrolled by hand, spills every step
// (micro-kernel alone, packed operands in L1: 4×8 44–45 GFLOP/s, 3×12 34–36, 5×8 38). Relaxed SIMD:
// the fused multiply-add needs no product register, so 3×12 = 9 accumulators + 3 + 3 loads = 15 fits,
// and does 9 multiply-adds per 6 loads and per loop overhead where 4×8 does 8 (alone: 3×12 60–61,
// 4×8 55–59, 2×16 55–57, 4×12 / 3×16 / 6×8 / 5×8, which need 17–20 registers, 36–42; in the GEMM
// without packing at 252³/516³/1020³: 3×12 56.5/55.0/53.4, 4×8 54.2/52.9/50.9; but 3×12 pads C to
// 3-row, 12-column tiles, which costs 16×64 or 128×64 products more than the 4×8 tile's ~6 % loss:
// gemmTile weighs the two). The machine's
// measured peaks: mul+add 42–43 GFLOP/s, fused multiply-add 60–63 (assembly/peak.ts). V8 unrolls
// the k loop itself; the loop runs on the B pointer, with no counter.

import { madd } from './madd';

export const GEMM_TRANS_A: i32 = 1;
export const GEMM_TRANS_B: i32 = 2;
export const GEMM_ACCUMULATE: i32 = 4;
export const GEMM_BIAS_ROW: i32 = 8;
export const GEMM_BIAS_COL: i32 = 16;
export const GEMM_RELU: i32 = 32;

// The register tiles, mr rows × nr columns of C (see "Why these tiles" above): 4×8 in the portable
// build; 3×12 or 4×8 in the relaxed-SIMD build, whichever the shape suits (gemmTile). Blocks hold whole
// panels: MC ≤ 128 rows of A, NC ≤ 1032 columns of B (at least 1024: N = 1024 in one block, not a
// second block of 4 columns that would pack all of A again).
const TILE_4X8: i32 = 4; // a tile is named by its rows: 4×8 or 3×12
const TILE_3X12: i32 = 3;
const KC: i32 = 256;

// The dot-product path and the packed path round differently, so the choice between them is the same
// for both tiles of a build: A·Bᵀ with at most DOT_MAX_N columns or fewer than DOT_MIN_M rows takes
// gemmDotRows (from two full panels of the build's widest tile on, packing pays for itself).
const DOT_MAX_N: i32 = ASC_FEATURE_RELAXED_SIMD ? 23 : 15;
const DOT_MIN_M: i32 = ASC_FEATURE_RELAXED_SIMD ? 3 : 4;

// Row-major B is read in place, not packed, when C has at most this many rows (see gemm).
const B_IN_PLACE_MAX_M: i32 = 16;

// The workspace has the same layout in both builds (the largest blocks and tile of either), since
// the bindings size it with the portable module's gemmWorkspaceBytes and conv2d.ts places its own
// scratch after it. The 3-row packing writes whole v128s: up to one float past a panel (packPanelsA).
const PACK_A_FLOATS: i32 = 128 * KC + 4;
const PACK_B_FLOATS: i32 = KC * 1032;
const TILE_FLOATS: i32 = 72; // two 3×12 tiles (the narrow kernel's two row panels)

// @ts-ignore: decorator
@inline
function tileColumns(mr: i32): i32 {
  return mr == TILE_3X12 ? 12 : 8;
}

/**
 * The register tile for a product of M×N (rows of the tile: 3 for 3×12, 4 for 4×8). The portable
 * build has 4×8 only. In the relaxed-SIMD build 3×12 runs ~6 % faster on whole tiles (9 fused
 * multiply-adds per 6 loads against 8), but pads C to multiples of 3 rows and 12 columns, where a
 * narrow or ragged panel costs about as much as a full one: 4×8 wins when its padded area is under
 * 93 % of 3×12's (16×64: 1024 against 1296 elements; 128×64; not 256×256). Measured, relaxed build,
 * one thread: 16×64×200 37.6 → 56.2 GFLOP/s, 128×64×128 50.3 → 54.6; 256³ 56.2 with 3×12 against
 * 54.8, 512³ 56.9 against 52.5. Both tiles compute every element of C as the same chain of
 * multiply-adds in k order, so the choice never changes a bit; callers still choose it from the
 * whole product's shape (a convolution from the whole image's, not a thread's share of it).
 */
export function gemmTile(M: i32, N: i32): i32 {
  if (!ASC_FEATURE_RELAXED_SIMD) return TILE_4X8;
  return paddedArea(M, N, TILE_4X8) * 100 < paddedArea(M, N, TILE_3X12) * 93 ? TILE_4X8 : TILE_3X12;
}

// Elements of an M×N product rounded up to whole mr-row tiles of tileColumns(mr) columns.
// @ts-ignore: decorator
@inline
function paddedArea(M: i32, N: i32, mr: i32): i64 {
  const nr = tileColumns(mr);
  return <i64>((M + mr - 1) / mr * mr) * ((N + nr - 1) / nr * nr);
}

/** Bytes of scratch one gemm call needs: packed A block, packed B block, one edge tile. */
export function gemmWorkspaceBytes(): i32 {
  return (PACK_A_FLOATS + PACK_B_FLOATS + TILE_FLOATS) << 2;
}

export function gemm(
  c: usize, a: usize, b: usize, bias: usize,
  M: i32, N: i32, K: i32,
  lda: i32, ldb: i32, ldc: i32,
  flags: i32, rowStart: i32, rowEnd: i32,
  work: usize,
): void {
  gemmTiled(c, a, b, bias, M, N, K, lda, ldb, ldc, flags, rowStart, rowEnd, work, gemmTile(M, N));
}

/** gemm with the register tile given (gemmTile of the whole product's shape). */
export function gemmTiled(
  c: usize, a: usize, b: usize, bias: usize,
  M: i32, N: i32, K: i32,
  lda: i32, ldb: i32, ldc: i32,
  flags: i32, rowStart: i32, rowEnd: i32,
  work: usize, tile: i32,
): void {
  if (rowEnd > M) rowEnd = M;
  if (rowStart >= rowEnd || N <= 0) return;
  const transA = (flags & GEMM_TRANS_A) != 0;
  const transB = (flags & GEMM_TRANS_B) != 0;

  if (K <= 0) {
    // op(A)·op(B) is all zeros: only the epilogue remains.
    for (let i = rowStart; i < rowEnd; i++) {
      for (let j = 0; j < N; j++) {
        const cp = c + ((<usize>i * ldc + j) << 2);
        store<f32>(cp, epilogueScalar(0, cp, bias, i, j, flags));
      }
    }
    return;
  }

  // The path depends on the shape only, never on the row range: any split of rows gives the same bits.
  if (transB && !transA && (N <= DOT_MAX_N || M < DOT_MIN_M)) {
    gemmDotRows(c, a, b, bias, N, K, lda, ldb, ldc, flags, rowStart, rowEnd);
    return;
  }
  // Each build compiles the blocked loops once per tile it has, with the tile's sizes as constants.
  if (ASC_FEATURE_RELAXED_SIMD && tile == TILE_3X12) gemmBlocked(c, a, b, bias, M, N, K, lda, ldb, ldc, flags, rowStart, rowEnd, work, 3, 12);
  else gemmBlocked(c, a, b, bias, M, N, K, lda, ldb, ldc, flags, rowStart, rowEnd, work, 4, 8);
}

// The packed path with an MR×NR register tile (constants once inlined): MC = 126 or 128 rows of A per
// block, NC = 1032 or 1024 columns of B.
// @ts-ignore: decorator
@inline
function gemmBlocked(
  c: usize, a: usize, b: usize, bias: usize,
  M: i32, N: i32, K: i32,
  lda: i32, ldb: i32, ldc: i32,
  flags: i32, rowStart: i32, rowEnd: i32,
  work: usize, MR: i32, NR: i32,
): void {
  const MC = 128 / MR * MR;
  const NC = (1024 + NR - 1) / NR * NR;
  const packA = work;
  const packB = work + (<usize>PACK_A_FLOATS << 2);
  const tile = packB + (<usize>PACK_B_FLOATS << 2);
  const transA = (flags & GEMM_TRANS_A) != 0;
  const transB = (flags & GEMM_TRANS_B) != 0;
  // K blocks of equal length (at most KC), so no block is a short remainder.
  const kBlocks = (K + KC - 1) / KC;
  const kcStep = (K + kBlocks - 1) / kBlocks;
  // With few rows (a convolution's weights times its im2col matrix) each packed B panel would serve
  // at most four row panels, too few to repay the copy: row-major B is then read in place, unless its
  // rows lie a multiple of 2 KB apart (N = 512, 1024, …), where a panel's rows fall into one or two
  // L1 sets and evict each other (measured 7–13 % slower than packing).
  const bInPlace = !transB && M <= B_IN_PLACE_MAX_M && (ldb & 511) != 0;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += kcStep) {
      const kc = min(kcStep, K - pc);
      const first = pc == 0;
      const last = pc + kc == K;
      // Epilogue flags apply once: accumulation after the first K block, bias/ReLU after the last.
      let f = 0;
      if (!first || (flags & GEMM_ACCUMULATE)) f |= GEMM_ACCUMULATE;
      if (last) f |= flags & (GEMM_BIAS_ROW | GEMM_BIAS_COL | GEMM_RELU);
      // Full panels of B read in place (B row-major, few rows), the rest packed.
      const inPlace = bInPlace ? nc - nc % NR : 0;
      packPanelsB(packB, b, ldb, transB, pc, kc, jc + inPlace, nc - inPlace, NR);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = jr < inPlace ? b + ((<usize>pc * ldb + jc + jr) << 2) : packB + (<usize>(jr - inPlace) * kc << 2);
          const bStep: usize = jr < inPlace ? <usize>ldb << 2 : NR << 2;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ap = packA + (<usize>ir * kc << 2);
            // The first column panel packs the row panels its tiles read (see the header).
            if (jr == 0) packPanelsA(ap, a, lda, transA, ic + ir, nr <= 4 && MR == 3 ? min(2 * MR, mc - ir) : mr, pc, kc, MR);
            const row = ic + ir;
            const col = jc + jr;
            const cp = c + ((<usize>row * ldc + col) << 2);
            if (mr == MR && nr == NR) {
              // With no epilogue (f == 0) the bare store skips the per-row flag tests: small K gains ~6 %.
              kernelTile(kc, ap, bp, bStep, cp, ldc, bias, row, col, f, f == 0 ? 1 : 0, MR);
            } else if (nr <= 4 && MR == 3) {
              // Narrow panel beside the 3-row tile: two row panels at once (the second, when there is
              // none, computed again from the first and not stored), into two scratch tiles.
              const second = ir + MR < mc;
              kernelNarrow(kc, ap, second ? ap + (<usize>MR * kc << 2) : ap, bp, tile, MR, NR);
              storeEdgeTile(tile, cp, ldc, mr, nr, bias, row, col, f, NR);
              if (second) {
                ir += MR;
                storeEdgeTile(tile + (<usize>MR * NR << 2), cp + (<usize>MR * ldc << 2), ldc, min(MR, mc - ir), nr, bias, row + MR, col, f, NR);
              }
            } else {
              // Edge tile: compute a whole tile into scratch, then store the valid part.
              if (nr <= 4) kernelNarrow(kc, ap, ap, bp, tile, MR, NR);
              else kernelTile(kc, ap, bp, bStep, tile, NR, 0, 0, 0, 0, 1, MR);
              storeEdgeTile(tile, cp, ldc, mr, nr, bias, row, col, f, NR);
            }
          }
        }
      }
    }
  }
}

// A·Bᵀ for narrow or short C (N ≤ DOT_MAX_N, the classifier x·Wᵀ; or fewer than DOT_MIN_M rows, where
// packing B would cost as much as the product): rows of A and rows of B are both contiguous
// in k, so each C[i, j] is a dot product, computed 4 rows × 2 columns at a time in f32x4 lanes over k
// (f32-gemm-dot-4x2-wasmsimd) with no packing and no padded columns. A short last group of rows or
// columns repeats its last row or column (computed, not stored). The k % 4 tail and the epilogue are
// scalar.
function gemmDotRows(
  c: usize, a: usize, b: usize, bias: usize, N: i32, K: i32,
  lda: i32, ldb: i32, ldc: i32, flags: i32, rowStart: i32, rowEnd: i32,
): void {
  const k4 = K & ~3;
  const aStride = <usize>lda << 2;
  const bStride = <usize>ldb << 2;
  for (let i = rowStart; i < rowEnd; i += 4) {
    const rows = min(4, rowEnd - i);
    const a0 = a + <usize>i * aStride;
    const a1 = rows > 1 ? a0 + aStride : a0;
    const a2 = rows > 2 ? a1 + aStride : a1;
    const a3 = rows > 3 ? a2 + aStride : a2;
    for (let j = 0; j < N; j += 2) {
      const cols = min(2, N - j);
      const b0 = b + <usize>j * bStride;
      const b1 = cols > 1 ? b0 + bStride : b0;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let off: usize = 0, end = <usize>k4 << 2; off < end; off += 16) {
        const y0 = v128.load(b0 + off), y1 = v128.load(b1 + off);
        const x0 = v128.load(a0 + off), x1 = v128.load(a1 + off);
        const x2 = v128.load(a2 + off), x3 = v128.load(a3 + off);
        s00 = madd(x0, y0, s00); s01 = madd(x0, y1, s01);
        s10 = madd(x1, y0, s10); s11 = madd(x1, y1, s11);
        s20 = madd(x2, y0, s20); s21 = madd(x2, y1, s21);
        s30 = madd(x3, y0, s30); s31 = madd(x3, y1, s31);
      }
      const cp = c + ((<usize>i * ldc + j) << 2);
      const cStride = <usize>ldc << 2;
      storeDot(cp, hsum(s00), a0, b0, k4, K, bias, i, j, flags);
      if (cols > 1) storeDot(cp + 4, hsum(s01), a0, b1, k4, K, bias, i, j + 1, flags);
      if (rows > 1) {
        storeDot(cp + cStride, hsum(s10), a1, b0, k4, K, bias, i + 1, j, flags);
        if (cols > 1) storeDot(cp + cStride + 4, hsum(s11), a1, b1, k4, K, bias, i + 1, j + 1, flags);
      }
      if (rows > 2) {
        storeDot(cp + 2 * cStride, hsum(s20), a2, b0, k4, K, bias, i + 2, j, flags);
        if (cols > 1) storeDot(cp + 2 * cStride + 4, hsum(s21), a2, b1, k4, K, bias, i + 2, j + 1, flags);
      }
      if (rows > 3) {
        storeDot(cp + 3 * cStride, hsum(s30), a3, b0, k4, K, bias, i + 3, j, flags);
        if (cols > 1) storeDot(cp + 3 * cStride + 4, hsum(s31), a3, b1, k4, K, bias, i + 3, j + 1, flags);
      }
    }
  }
}

// Sum of the four lanes of v.
// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// Completes one dot product of gemmDotRows with the k tail [k4, K) of rows ar (of A) and br (of B),
// then stores it at cp with the epilogue.
// @ts-ignore: decorator
@inline
function storeDot(cp: usize, sum: f32, ar: usize, br: usize, k4: i32, K: i32, bias: usize, row: i32, col: i32, flags: i32): void {
  for (let k = k4; k < K; k++) sum += load<f32>(ar + (<usize>k << 2)) * load<f32>(br + (<usize>k << 2));
  store<f32>(cp, epilogueScalar(sum, cp, bias, row, col, flags));
}

// Packs op(B)[pc:pc+kc, jc:jc+nc] as ceil(nc/NR) panels, each kc×NR row-major, zero-padded to NR.
// @ts-ignore: decorator
@inline
function packPanelsB(dst: usize, b: usize, ldb: i32, transB: bool, pc: i32, kc: i32, jc: i32, nc: i32, NR: i32): void {
  for (let jp = 0; jp < nc; jp += NR) {
    const w = min(NR, nc - jp);
    const panel = dst + (<usize>jp * kc << 2);
    let p = 0;
    if (w == NR && !transB) {
      for (; p < kc; p++) {
        const src = b + ((<usize>(pc + p) * ldb + jc + jp) << 2);
        const out = panel + (<usize>p * NR << 2);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        if (NR > 8) v128.store(out, v128.load(src, 32), 32);
      }
    } else if (w == NR) {
      // B is [N, K]: NR rows of B (NR columns of op(B)), four k at a time, one 4×4 transpose per four rows.
      const r0 = b + ((<usize>(jc + jp) * ldb + pc) << 2);
      const stride = <usize>ldb << 2;
      for (; p + 4 <= kc; p += 4) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>p * NR << 2);
        transposeRows4(out, NR << 2, src, stride);
        transposeRows4(out + 16, NR << 2, src + 4 * stride, stride);
        if (NR > 8) transposeRows4(out + 32, NR << 2, src + 8 * stride, stride);
      }
      for (; p < kc; p++) {
        const src = r0 + (<usize>p << 2);
        const out = panel + (<usize>p * NR << 2);
        for (let j = 0; j < NR; j++) store<f32>(out + (<usize>j << 2), load<f32>(src + <usize>j * stride));
      }
    } else {
      for (; p < kc; p++) {
        const out = panel + (<usize>p * NR << 2);
        for (let j = 0; j < NR; j++) {
          let v: f32 = 0;
          if (j < w) {
            const col = jc + jp + j;
            const k = pc + p;
            v = transB ? load<f32>(b + ((<usize>col * ldb + k) << 2)) : load<f32>(b + ((<usize>k * ldb + col) << 2));
          }
          store<f32>(out + (<usize>j << 2), v);
        }
      }
    }
  }
}

// Packs op(A)[ic:ic+mc, pc:pc+kc] as ceil(mc/MR) panels, each kc×MR (k-major), zero-padded to MR.
// @ts-ignore: decorator
@inline
function packPanelsA(dst: usize, a: usize, lda: i32, transA: bool, ic: i32, mc: i32, pc: i32, kc: i32, MR: i32): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const h = min(MR, mc - ip);
    const panel = dst + (<usize>ip * kc << 2);
    let p = 0;
    // Three rows are stored as whole v128s whose fourth lane the next store overwrites (in increasing
    // order), so the last one writes one float past the panel: into the next panel (packed after it)
    // or the slack.
    if (h == MR && transA) {
      // A is [K, M]: the MR values of one k step are contiguous (three are read without the fourth,
      // which may lie past A).
      for (; p < kc; p++) {
        const src = a + ((<usize>(pc + p) * lda + ic + ip) << 2);
        const out = panel + (<usize>p * MR << 2);
        v128.store(out, MR == 4 ? v128.load(src) : v128.load32_lane(src, v128.load64_zero(src), 2, 8));
      }
    } else if (h == MR) {
      // A is [M, K]: MR rows, four k at a time through a 4×4 transpose (three rows: the third twice).
      const r0 = a + ((<usize>(ic + ip) * lda + pc) << 2);
      const stride = <usize>lda << 2;
      for (; p + 4 <= kc; p += 4) {
        const off = <usize>p << 2;
        const out = panel + (<usize>p * MR << 2);
        const r2 = r0 + 2 * stride + off;
        transpose4x4Store(out, MR << 2, v128.load(r0 + off), v128.load(r0 + stride + off), v128.load(r2), v128.load(r2 + <usize>(MR - 3) * stride));
      }
      for (; p < kc; p++) {
        const off = <usize>p << 2;
        const out = panel + (<usize>p * MR << 2);
        for (let i = 0; i < MR; i++) store<f32>(out + (<usize>i << 2), load<f32>(r0 + <usize>i * stride + off));
      }
    } else {
      for (; p < kc; p++) {
        const out = panel + (<usize>p * MR << 2);
        for (let i = 0; i < MR; i++) {
          let v: f32 = 0;
          if (i < h) {
            const row = ic + ip + i;
            const k = pc + p;
            v = transA ? load<f32>(a + ((<usize>k * lda + row) << 2)) : load<f32>(a + ((<usize>row * lda + k) << 2));
          }
          store<f32>(out + (<usize>i << 2), v);
        }
      }
    }
  }
}

// Reads four rows of four floats (rows `stride` bytes apart from src) and stores the transpose:
// four groups of four, `step` bytes apart from out.
// @ts-ignore: decorator
@inline
function transposeRows4(out: usize, step: usize, src: usize, stride: usize): void {
  transpose4x4Store(out, step, v128.load(src), v128.load(src + stride), v128.load(src + 2 * stride), v128.load(src + 3 * stride));
}

// Stores the transpose of the rows x0…x3: lane i of every row, as one group, for i = 0…3, `step`
// bytes apart from out, in increasing order.
// @ts-ignore: decorator
@inline
function transpose4x4Store(out: usize, step: usize, x0: v128, x1: v128, x2: v128, x3: v128): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
  v128.store(out + step, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
  v128.store(out + 2 * step, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5));
  v128.store(out + 3 * step, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7));
}

// The register tile MR×NR (3×12 or 4×8; MR a constant once inlined): a tile of C from a packed panel
// ap (kc×MR) and a panel bp of kc rows of NR floats, bStep bytes apart (NR·4 when packed, ldb·4 when
// read in place). raw = 1 stores the bare products (edge tiles, or no epilogue); otherwise `flags` is
// applied.
// @ts-ignore: decorator
@inline
function kernelTile(kc: i32, ap: usize, bp: usize, bStep: usize, cp: usize, ldc: i32, bias: usize, row: i32, col: i32, flags: i32, raw: i32, MR: i32): void {
  if (MR == TILE_3X12) kernel3x12(kc, ap, bp, bStep, cp, ldc, bias, row, col, flags, raw);
  else kernel4x8(kc, ap, bp, bStep, cp, ldc, bias, row, col, flags, raw);
}

// f32-gemm-4x8-wasmsimd: eight v128 accumulators; per k step two loads of B, four broadcasts of A.
// @ts-ignore: decorator
@inline
function kernel4x8(kc: i32, ap: usize, bp: usize, bStep: usize, cp: usize, ldc: i32, bias: usize, row: i32, col: i32, flags: i32, raw: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const bEnd = bp + <usize>kc * bStep;
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    const a3 = v128.load32_splat(ap, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    ap += 16;
    bp += bStep;
  }
  const stride = <usize>ldc << 2;
  storeRow(cp, c00, c01, c01, bias, row, col, flags, raw, 8); cp += stride;
  storeRow(cp, c10, c11, c11, bias, row + 1, col, flags, raw, 8); cp += stride;
  storeRow(cp, c20, c21, c21, bias, row + 2, col, flags, raw, 8); cp += stride;
  storeRow(cp, c30, c31, c31, bias, row + 3, col, flags, raw, 8);
}

// f32-gemm-3x12-wasmrelaxedsimd: nine v128 accumulators; per k step three loads of B, three
// broadcasts of A, nine fused multiply-adds.
// @ts-ignore: decorator
@inline
function kernel3x12(kc: i32, ap: usize, bp: usize, bStep: usize, cp: usize, ldc: i32, bias: usize, row: i32, col: i32, flags: i32, raw: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0);
  const bEnd = bp + <usize>kc * bStep;
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const b2 = v128.load(bp, 32);
    const a0 = v128.load32_splat(ap);
    const a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01); c02 = madd(a0, b2, c02);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11); c12 = madd(a1, b2, c12);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21); c22 = madd(a2, b2, c22);
    ap += 12;
    bp += bStep;
  }
  const stride = <usize>ldc << 2;
  storeRow(cp, c00, c01, c02, bias, row, col, flags, raw, 12); cp += stride;
  storeRow(cp, c10, c11, c12, bias, row + 1, col, flags, raw, 12); cp += stride;
  storeRow(cp, c20, c21, c22, bias, row + 2, col, flags, raw, 12);
}

// The narrow-edge kernel (MR and NR constants once inlined): the left four columns of a tile from a
// packed panel bp (kc×NR), stored bare into the scratch tile (row stride NR). f32-gemm-4x4-wasmsimd
// beside the 4×8 tile: the rows of panel ap (kc×4). f32-gemm-6x4-wasmrelaxedsimd beside 3×12: the rows
// of panels ap and ap2 (kc×3 each), six chains where one panel's three would wait on the fused
// multiply-add's latency (the 3×4 kernel cost about as much as a full 3×12 tile; 252×52×256, four full
// panels and a narrow one: 48.3–48.5 → 49.9–51.6 GFLOP/s, three interleaved runs).
// 4×8 keeps one panel: eight chains and their broadcasts would not fit the registers.
// @ts-ignore: decorator
@inline
function kernelNarrow(kc: i32, ap: usize, ap2: usize, bp: usize, tile: usize, MR: i32, NR: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let d0 = f32x4.splat(0), d1 = f32x4.splat(0), d2 = f32x4.splat(0);
  const bEnd = bp + (<usize>kc * NR << 2);
  while (bp < bEnd) {
    const b0 = v128.load(bp);
    c0 = madd(v128.load32_splat(ap), b0, c0);
    c1 = madd(v128.load32_splat(ap, 4), b0, c1);
    c2 = madd(v128.load32_splat(ap, 8), b0, c2);
    if (MR > 3) {
      c3 = madd(v128.load32_splat(ap, 12), b0, c3);
    } else {
      d0 = madd(v128.load32_splat(ap2), b0, d0);
      d1 = madd(v128.load32_splat(ap2, 4), b0, d1);
      d2 = madd(v128.load32_splat(ap2, 8), b0, d2);
      ap2 += 12;
    }
    ap += MR << 2;
    bp += NR << 2;
  }
  const row: usize = NR << 2;
  v128.store(tile, c0);
  v128.store(tile + row, c1);
  v128.store(tile + 2 * row, c2);
  v128.store(tile + 3 * row, MR > 3 ? c3 : d0);
  if (MR == 3) {
    v128.store(tile + 4 * row, d1);
    v128.store(tile + 5 * row, d2);
  }
}

// Stores NR contiguous values of row `row` at cp (v0, v1, then v2 when NR = 12), bare when raw,
// otherwise with the epilogue (SIMD path of full tiles).
// @ts-ignore: decorator
@inline
function storeRow(cp: usize, v0: v128, v1: v128, v2: v128, bias: usize, row: i32, col: i32, flags: i32, raw: i32, NR: i32): void {
  if (raw) {
    v128.store(cp, v0);
    v128.store(cp, v1, 16);
    if (NR > 8) v128.store(cp, v2, 32);
    return;
  }
  storeQuad(cp, v0, bias, row, col, flags);
  storeQuad(cp + 16, v1, bias, row, col + 4, flags);
  if (NR > 8) storeQuad(cp + 32, v2, bias, row, col + 8, flags);
}

// Stores 4 contiguous values of row `row` at cp with the epilogue.
// @ts-ignore: decorator
@inline
function storeQuad(cp: usize, v: v128, bias: usize, row: i32, col: i32, flags: i32): void {
  if (flags & GEMM_ACCUMULATE) v = f32x4.add(v128.load(cp), v);
  if (flags & GEMM_BIAS_ROW) v = f32x4.add(v, v128.load32_splat(bias + (<usize>row << 2)));
  else if (flags & GEMM_BIAS_COL) v = f32x4.add(v, v128.load(bias + (<usize>col << 2)));
  if (flags & GEMM_RELU) v = f32x4.max(v, f32x4.splat(0));
  v128.store(cp, v);
}

// Edge path: stores the valid mr×nr part of a raw tile (row stride NR) with the epilogue; whole rows
// of NR (the last rows of C, M mod MR) through the SIMD epilogue, partial rows scalar.
function storeEdgeTile(tile: usize, cp: usize, ldc: i32, mr: i32, nr: i32, bias: usize, row: i32, col: i32, flags: i32, NR: i32): void {
  for (let i = 0; i < mr; i++) {
    const src = tile + (<usize>i * NR << 2);
    const dst = cp + (<usize>i * ldc << 2);
    if (nr == NR) {
      storeRow(dst, v128.load(src), v128.load(src, 16), NR > 8 ? v128.load(src, 32) : f32x4.splat(0), bias, row + i, col, flags, 0, NR);
      continue;
    }
    for (let j = 0; j < nr; j++) {
      const d = dst + (<usize>j << 2);
      store<f32>(d, epilogueScalar(load<f32>(src + (<usize>j << 2)), d, bias, row + i, col + j, flags));
    }
  }
}

// The epilogue for one element of C at dst (scalar twin of storeQuad; ReLU keeps NaN as f32x4.max does).
// @ts-ignore: decorator
@inline
function epilogueScalar(v: f32, dst: usize, bias: usize, row: i32, col: i32, flags: i32): f32 {
  if (flags & GEMM_ACCUMULATE) v += load<f32>(dst);
  if (flags & GEMM_BIAS_ROW) v += load<f32>(bias + (<usize>row << 2));
  else if (flags & GEMM_BIAS_COL) v += load<f32>(bias + (<usize>col << 2));
  if (flags & GEMM_RELU) v = v > 0 || isNaN(v) ? v : 0;
  return v;
}

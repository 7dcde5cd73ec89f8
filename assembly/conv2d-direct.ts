// Direct convolution micro-kernels, wasm SIMD, for one image and one group at stride 1 along W (the
// path for few channels per group, where im2col + GEMM spends more time copying than multiplying).
// They work on zero-padded planes (im2col.ts padPlanesF32), which the forward and weight-gradient
// kernels read and the input-gradient kernel accumulates into, so their loops need no bounds checks.
//
// Notation: cin input planes [cin, Hp, Wp]; kout outputs; kernel R×S with dilation dh×dw; output
// rows step sh through the planes; the tap index t = (c·R + r)·S + s runs over cin·R·S taps.

import { madd } from './madd';

/** Floats that the widest tile may read or write past the end of its planes (lanes discarded or zero). */
export const PLANE_SLACK: i32 = 16;

/**
 * Whether the forward tiles take the input channels in their innermost loop (taps in the order
 * (r, s, c)) rather than the kernel's columns (the natural (c, r, s)): from 8 channels in the relaxed-
 * SIMD build, where a long inner loop costs less than the 3 trips over a 3×3 kernel's columns
 * (measured 3–6 % faster on 3×3 layers of 64–128 channels, 20 % slower on one channel). The portable
 * build takes the direct kernels up to 16 channels only, where the order makes no difference.
 */
// @ts-ignore: decorator
@inline
function channelsInner(cin: i32): bool {
  return ASC_FEATURE_RELAXED_SIMD && cin >= 8;
}

/**
 * Packs the weights [kout, cin·R·S] of one group in the four-lane layout of the forward tiles, taps in
 * their loop order (see channelsInner): dst[ob][j][i] = weight[4·ob + i, tap j], output channels
 * zero-padded to a multiple of four.
 */
export function packForwardWeights(dst: usize, weight: usize, kout: i32, cin: i32, RS: i32): void {
  const taps = cin * RS;
  const inner = channelsInner(cin);
  for (let ob = 0; ob < kout; ob += 4) {
    for (let j = 0; j < taps; j++) {
      const t = inner ? (j % cin) * RS + j / cin : j;
      for (let i = 0; i < 4; i++) {
        const o = ob + i;
        store<f32>(dst, o < kout ? load<f32>(weight + (<usize>(o * taps + t) << 2)) : 0);
        dst += 4;
      }
    }
  }
}

// The original index (c·R + r)·S + s of tap j when taps are taken s-major (j = s·cin·R + c·R + r).
// @ts-ignore: decorator
@inline
function sMajorTap(j: i32, cin: i32, R: i32, S: i32): i32 {
  const rows = cin * R;
  return (j % rows) * S + j / rows;
}

/**
 * Offsets of the taps in zero-padded planes [cin, Hp, Wp]: tapOffsets[j] = (c·Hp + r·dh)·Wp + s·dw (i32)
 * for tap j in natural order, or s-major when sMajor (see packInputGradTaps).
 */
export function writeTapOffsets(tapOffsets: usize, cin: i32, R: i32, S: i32, Hp: i32, Wp: i32, dh: i32, dw: i32, sMajor: bool): void {
  const taps = cin * R * S;
  for (let j = 0; j < taps; j++) {
    const t = sMajor ? sMajorTap(j, cin, R, S) : j;
    const c = t / (R * S);
    const r = (t / S) % R;
    store<i32>(tapOffsets + (<usize>j << 2), (c * Hp + r * dh) * Wp + (t % S) * dw);
  }
}

/**
 * Packs the weights [kout, cin·R·S] of one group for conv2dDirectInputGrad, taps s-major (the order of
 * writeTapOffsets(…, true)): the four taps of a tile then sit on different rows of the gradient planes
 * whenever cin·R ≥ 4, so their scattered stores never overlap each other (an overlap stalls
 * store-to-load forwarding). packed[j/4][k][j%4] = weight[k, tap j], 0 past the last tap.
 */
export function packInputGradTaps(packed: usize, weight: usize, cin: i32, R: i32, S: i32, kout: i32): void {
  const taps = cin * R * S;
  for (let j = 0; j < roundUp4(taps); j++) {
    const t = sMajorTap(j, cin, R, S);
    const dst = packed + ((<usize>(j & ~3) * kout + (j & 3)) << 2);
    for (let k = 0; k < kout; k++) {
      store<f32>(dst + (<usize>k << 4), j < taps ? load<f32>(weight + (<usize>(k * taps + t) << 2)) : 0);
    }
  }
}

/**
 * Transposes dy [kout, P] into eight-channel panels: dyT[kb][p][i] = dy[8·kb + i, p], 0 for channels
 * past kout. 4×4 SIMD transposes for whole blocks, the scalar edge path for the rest.
 */
export function packGradPanels8(dyT: usize, dy: usize, kout: i32, P: i32): void {
  const plane = <usize>P << 2;
  for (let k = 0; k < kout; k += 4) {
    const panel = dyT + ((<usize>(k & ~7) * P + (k & 4)) << 2);
    let p = 0;
    if (k + 4 <= kout) {
      const r0 = dy + <usize>k * plane;
      const r1 = r0 + plane;
      const r2 = r1 + plane;
      const r3 = r2 + plane;
      for (; p + 4 <= P; p += 4) {
        const off = <usize>p << 2;
        const x0 = v128.load(r0 + off);
        const x1 = v128.load(r1 + off);
        const x2 = v128.load(r2 + off);
        const x3 = v128.load(r3 + off);
        const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
        const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
        const out = panel + (<usize>p << 5);
        v128.store(out, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(out, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
        v128.store(out, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
        v128.store(out, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
      }
    }
    for (; p < P; p++) {
      for (let i = 0; i < 4; i++) {
        store<f32>(panel + (<usize>(p * 8 + i) << 2), k + i < kout ? load<f32>(dy + <usize>(k + i) * plane + (<usize>p << 2)) : 0);
      }
    }
  }
  if (kout % 8 != 0 && kout % 8 <= 4) {
    // The upper half of the last panel (channels past kout) is zero.
    const panel = dyT + ((<usize>(kout & ~7) * P + 4) << 2);
    for (let p = 0; p < P; p++) v128.store(panel + (<usize>p << 5), f32x4.splat(0));
  }
}

// @ts-ignore: decorator
@inline
function roundUp4(x: i32): i32 {
  return (x + 3) & ~3;
}

/**
 * Forward: out[o, oh, ow] = bias[o] + Σ_t w(o, t) · planes[c, oh·sh + r·dh, ow + s·dw], for the output
 * rows oh in [ohStart, ohEnd).
 *   out [kout, OH, OW]; planes [cin, Hp, Wp], readable PLANE_SLACK floats past the end; packed: the
 *   weights [kout, cin·R·S] through packForwardWeights; bias [kout] or 0.
 */
export function conv2dDirectForward(
  out: usize, planes: usize, packed: usize, bias: usize,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32,
  kout: i32, OH: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  const taps = cin * R * S;
  for (let kb = 0; kb < kout; kb += 4) {
    const o = out + (<usize>kb * OH * OW << 2);
    const w = packed + (<usize>kb * taps << 2);
    const b = bias ? bias + (<usize>kb << 2) : 0;
    const kv = min(4, kout - kb);
    if (kv == 1) conv2dDirect1x16(o, planes, w, b, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
    else conv2dDirect4x8(o, planes, w, b, kv, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
  }
}

// f32-conv2d-direct-4x8-wasmsimd: kv ≤ 4 output channels × 8 output columns in eight v128
// accumulators; per tap, two unaligned loads of the padded row and four broadcast weights.
function conv2dDirect4x8(
  out: usize, planes: usize, w: usize, bias: usize, kv: i32,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  if (channelsInner(cin)) directTiles(false, true, out, planes, w, bias, kv, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
  else directTiles(false, false, out, planes, w, bias, kv, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
}

// f32-conv2d-direct-1x16-wasmsimd: one output channel × 16 output columns in four v128 accumulators
// (enough independent chains to hide the add latency); the weight is lane 0 of each pack.
function conv2dDirect1x16(
  out: usize, planes: usize, w: usize, bias: usize,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  if (channelsInner(cin)) directTiles(true, true, out, planes, w, bias, 1, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
  else directTiles(true, false, out, planes, w, bias, 1, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW, ohStart, ohEnd);
}

// The body of both forward tiles (inlined with constant `single` and `inner`, so each compiles to its
// own loop), over output rows [ohStart, ohEnd): eight accumulators a0…a7 hold 4 channels × 8 columns,
// or 1 channel × 16 columns. The taps go in three nested loops, (c, r, s) or, when `inner`, (r, s, c):
// the same loops over other counts and pointer steps, in the order packForwardWeights packed them.
// @ts-ignore: decorator
@inline
function directTiles(
  single: bool, inner: bool, out: usize, planes: usize, w: usize, bias: usize, kv: i32,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  const planeBytes = <usize>Hp * Wp << 2;
  const rowStep = <usize>(dh * Wp) << 2;
  const tapStep = <usize>dw << 2;
  const outPlane = <usize>OH * OW << 2;
  const width = single ? 16 : 8;
  const n0 = inner ? R : cin, step0 = inner ? rowStep : planeBytes;
  const n1 = inner ? S : R, step1 = inner ? tapStep : rowStep;
  const n2 = inner ? cin : S, step2 = inner ? planeBytes : tapStep;
  for (let oh = ohStart; oh < ohEnd; oh++) {
    const rowBase = planes + (<usize>(oh * sh * Wp) << 2);
    for (let ow = 0; ow < OW; ow += width) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      let wp = w;
      let cp = rowBase + (<usize>ow << 2);
      for (let i0 = 0; i0 < n0; i0++, cp += step0) {
        let rp = cp;
        for (let i1 = 0; i1 < n1; i1++, rp += step1) {
          let q = rp;
          for (let i2 = 0; i2 < n2; i2++, q += step2, wp += 16) {
            const x0 = v128.load(q);
            const x1 = v128.load(q, 16);
            const w0 = v128.load32_splat(wp);
            a0 = madd(w0, x0, a0);
            a1 = madd(w0, x1, a1);
            if (single) {
              a2 = madd(w0, v128.load(q, 32), a2);
              a3 = madd(w0, v128.load(q, 48), a3);
            } else {
              const w1 = v128.load32_splat(wp, 4);
              const w2 = v128.load32_splat(wp, 8);
              const w3 = v128.load32_splat(wp, 12);
              a2 = madd(w1, x0, a2); a3 = madd(w1, x1, a3);
              a4 = madd(w2, x0, a4); a5 = madd(w2, x1, a5);
              a6 = madd(w3, x0, a6); a7 = madd(w3, x1, a7);
            }
          }
        }
      }
      const n = min(width, OW - ow);
      const dst = out + (<usize>(oh * OW + ow) << 2);
      storeOutput8(dst, a0, a1, bias, n);
      if (single) {
        if (n > 8) storeOutput8(dst + 32, a2, a3, bias, n - 8);
      } else {
        if (kv > 1) storeOutput8(dst + outPlane, a2, a3, bias ? bias + 4 : 0, n);
        if (kv > 2) storeOutput8(dst + 2 * outPlane, a4, a5, bias ? bias + 8 : 0, n);
        if (kv > 3) storeOutput8(dst + 3 * outPlane, a6, a7, bias ? bias + 12 : 0, n);
      }
    }
  }
}

/**
 * f32-dwconv2d-2x16-wasmsimd, one channel of a depthwise convolution (stride and dilation 1 along H):
 * out[oh, ow] = bias + Σ_{r, s} weight[r, s] · plane[oh + r, ow + s·dw], for the output rows oh in
 * [ohStart, ohEnd). A tile is two output rows × 16 columns in eight accumulators: input row oh + j
 * (j = 0…R) is tap row j of output row oh (j < R) and tap row j − 1 of row oh + 1 (j > 0), so most
 * loaded vectors feed two multiply-adds. One output row of 16 columns has four accumulators, four
 * dependent chains of R·S multiply-adds: the fused multiply-add's latency, not the pipes, would set its
 * pace. A last single row reads only its R rows. A 3×3 kernel with dw = 1 takes depthwise3x3's tiles
 * instead (the same sums; 8×64×32×32: 505 → 424 µs).
 *   out [OH, OW]; plane [Hp, Wp] zero-padded, readable PLANE_SLACK floats past the end;
 *   weight [R, S]; bias: one value, or 0 for none.
 */
export function conv2dDepthwiseForward(
  out: usize, plane: usize, weight: usize, bias: usize, Wp: i32, R: i32, S: i32, dw: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  if (R == 3 && S == 3 && dw == 1) {
    depthwise3x3(out, plane + 4, weight, bias, <usize>Wp << 2, 0, OW, 0, ohStart, ohEnd, false);
    return;
  }
  const rowBytes = <usize>Wp << 2;
  const tapStep = <usize>dw << 2;
  const outRow = <usize>OW << 2;
  for (let oh = ohStart; oh < ohEnd; oh += 2) {
    const pair = oh + 1 < ohEnd;
    const rowsIn = pair ? R + 1 : R;
    for (let ow = 0; ow < OW; ow += 16) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      let rp = plane + (<usize>oh * rowBytes) + (<usize>ow << 2);
      let wr = weight; // weight row j (output row oh), whose previous row is j − 1 (output row oh + 1)
      for (let j = 0; j < rowsIn; j++, rp += rowBytes, wr += <usize>S << 2) {
        let q = rp;
        for (let s = 0; s < S; s++, q += tapStep) {
          const x0 = v128.load(q);
          const x1 = v128.load(q, 16);
          const x2 = v128.load(q, 32);
          const x3 = v128.load(q, 48);
          const w = wr + (<usize>s << 2);
          if (j < R) {
            const wa = v128.load32_splat(w);
            a0 = madd(wa, x0, a0); a1 = madd(wa, x1, a1); a2 = madd(wa, x2, a2); a3 = madd(wa, x3, a3);
          }
          if (j > 0) {
            const wb = v128.load32_splat(w - (<usize>S << 2));
            b0 = madd(wb, x0, b0); b1 = madd(wb, x1, b1); b2 = madd(wb, x2, b2); b3 = madd(wb, x3, b3);
          }
        }
      }
      const n = min(16, OW - ow);
      const dst = out + (<usize>(oh * OW + ow) << 2);
      storeOutput8(dst, a0, a1, bias, n);
      if (n > 8) storeOutput8(dst + 32, a2, a3, bias, n - 8);
      if (pair) {
        storeOutput8(dst + outRow, b0, b1, bias, n);
        if (n > 8) storeOutput8(dst + outRow + 32, b2, b3, bias, n - 8);
      }
    }
  }
}

/**
 * f32-dwconv2d-3x3p1-2x4-wasmsimd, a 3×3 depthwise channel with padding 1 (stride and dilation 1) read
 * in place, with no padded copy: out[oh, ow] = bias + Σ_{r, s} weight[r, s] · inp[oh + r − 1, ow + s − 1],
 * 0 outside inp, for the output rows [ohStart, ohEnd). Rows above and below the plane are read from
 * `zeros`; the columns left and right of it come into the first and last vectors by lane shuffles. The
 * same sums in the same order as conv2dDepthwiseForward over a padded plane, so the same bits.
 *   out [H, W]; inp [H, W], W a multiple of 4; weight [3, 3]; bias: one value or 0; zeros: W zeros.
 */
export function conv2dDepthwise3x3p1Forward(
  out: usize, inp: usize, weight: usize, bias: usize, H: i32, W: i32, zeros: usize, ohStart: i32, ohEnd: i32,
): void {
  depthwise3x3(out, inp, weight, bias, <usize>W << 2, H, W, zeros, ohStart, ohEnd, true);
}

/**
 * f32-dwconv2d-3x3-2x4-wasmsimd: the 3×3 tiles of conv2dDepthwiseForward (dw = 1) and
 * conv2dDepthwise3x3p1Forward (inPlace, a constant once inlined). Per four columns, the input rows of
 * output rows oh and oh + 1 are loaded once as three vectors each (columns − 1, 0 and + 1) and feed
 * both rows' chains, nine multiply-adds each in (r, s) order; the nine weights are splatted once per
 * call and there is no loop over taps (the processor overlaps the next four columns' chains). A last
 * single row reads its three rows only. `src` is the padded plane's column 1 (rowBytes apart, row oh
 * of the output reads rows oh … oh + 2), or in place the input, whose row oh − 1 is read for row oh.
 */
// @ts-ignore: decorator
@inline
function depthwise3x3(
  out: usize, src: usize, weight: usize, bias: usize, rowBytes: usize, H: i32, OW: i32, zeros: usize,
  ohStart: i32, ohEnd: i32, inPlace: bool,
): void {
  const w0 = v128.load32_splat(weight), w1 = v128.load32_splat(weight, 4), w2 = v128.load32_splat(weight, 8);
  const w3 = v128.load32_splat(weight, 12), w4 = v128.load32_splat(weight, 16), w5 = v128.load32_splat(weight, 20);
  const w6 = v128.load32_splat(weight, 24), w7 = v128.load32_splat(weight, 28), w8 = v128.load32_splat(weight, 32);
  const b = bias ? v128.load32_splat(bias) : f32x4.splat(0);
  const zero = f32x4.splat(0);
  for (let oh = ohStart; oh < ohEnd; oh += 2) {
    const pair = oh + 1 < ohEnd;
    const row0 = tapRow(src, rowBytes, oh, H, zeros, inPlace);
    const row1 = tapRow(src, rowBytes, oh + 1, H, zeros, inPlace);
    const row2 = tapRow(src, rowBytes, oh + 2, H, zeros, inPlace);
    const row3 = pair ? tapRow(src, rowBytes, oh + 3, H, zeros, inPlace) : row2;
    const dst = out + (<usize>(oh * OW) << 2);
    for (let ow = 0; ow < OW; ow += 4) {
      const o = <usize>ow << 2;
      let p = row0 + o;
      let xl = leftOf(p, ow, inPlace), xm = v128.load(p), xr = rightOf(p, ow, OW, inPlace);
      let a = madd(w2, xr, madd(w1, xm, madd(w0, xl, zero)));
      p = row1 + o;
      xl = leftOf(p, ow, inPlace); xm = v128.load(p); xr = rightOf(p, ow, OW, inPlace);
      a = madd(w5, xr, madd(w4, xm, madd(w3, xl, a)));
      let c = madd(w2, xr, madd(w1, xm, madd(w0, xl, zero)));
      p = row2 + o;
      xl = leftOf(p, ow, inPlace); xm = v128.load(p); xr = rightOf(p, ow, OW, inPlace);
      a = madd(w8, xr, madd(w7, xm, madd(w6, xl, a)));
      storeOutput4(dst + o, a, bias, b, OW - ow);
      if (pair) {
        c = madd(w5, xr, madd(w4, xm, madd(w3, xl, c)));
        p = row3 + o;
        xl = leftOf(p, ow, inPlace); xm = v128.load(p); xr = rightOf(p, ow, OW, inPlace);
        c = madd(w8, xr, madd(w7, xm, madd(w6, xl, c)));
        storeOutput4(dst + (<usize>OW << 2) + o, c, bias, b, OW - ow);
      }
    }
  }
}

// Row oh + j of depthwise3x3's taps (oh + j in padded rows): in the padded plane, or in place the
// input's row oh + j − 1, `zeros` outside [0, H).
// @ts-ignore: decorator
@inline
function tapRow(src: usize, rowBytes: usize, i: i32, H: i32, zeros: usize, inPlace: bool): usize {
  if (!inPlace) return src + <usize>i * rowBytes;
  return i < 1 || i > H ? zeros : src + <usize>(i - 1) * rowBytes;
}

// Columns ow − 1 … ow + 2 of a tap row at p (column ow); in place, column −1 is a zero lane.
// @ts-ignore: decorator
@inline
function leftOf(p: usize, ow: i32, inPlace: bool): v128 {
  return inPlace && ow == 0 ? v128.shuffle<f32>(f32x4.splat(0), v128.load(p), 3, 4, 5, 6) : v128.load(p - 4);
}

// Columns ow + 1 … ow + 4 of a tap row at p (column ow); in place, column OW is a zero lane.
// @ts-ignore: decorator
@inline
function rightOf(p: usize, ow: i32, OW: i32, inPlace: bool): v128 {
  return inPlace && ow + 4 >= OW ? v128.shuffle<f32>(v128.load(p), f32x4.splat(0), 1, 2, 3, 4) : v128.load(p + 4);
}

// Stores min(n, 4) lanes of v + b (b only when bias ≠ 0, as storeOutput8).
// @ts-ignore: decorator
@inline
function storeOutput4(dst: usize, v: v128, bias: usize, b: v128, n: i32): void {
  if (bias) v = f32x4.add(v, b);
  if (n >= 4) v128.store(dst, v);
  else storeLanes(dst, v, n);
}

/**
 * f32-dwconv2d-dweight-wasmsimd, the weight gradient of one depthwise channel over the output rows
 * [ohStart, ohEnd) of one image: dW[r, s] += Σ_{oh, ow} dy[oh, ow] · plane[oh + r, ow + s·dw], tap by
 * tap, each a dot product of dy with the shifted plane along the rows: 16 columns at a time in four
 * accumulators, then 4, then a scalar tail.
 *   dW [R, S], accumulated; dy [OH, OW]; plane [Hp, Wp] zero-padded.
 */
export function conv2dDepthwiseWeightGrad(
  dW: usize, dy: usize, plane: usize, Wp: i32, R: i32, S: i32, dw: i32, OW: i32, ohStart: i32, ohEnd: i32,
): void {
  const rowBytes = <usize>Wp << 2;
  const outRow = <usize>OW << 2;
  for (let r = 0; r < R; r++) {
    for (let s = 0; s < S; s++) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      let tail: f32 = 0;
      for (let oh = ohStart; oh < ohEnd; oh++) {
        const d = dy + <usize>oh * outRow;
        const x = plane + <usize>(oh + r) * rowBytes + (<usize>(s * dw) << 2);
        let ow = 0;
        for (; ow + 16 <= OW; ow += 16) {
          const o = <usize>ow << 2;
          a0 = madd(v128.load(d + o), v128.load(x + o), a0);
          a1 = madd(v128.load(d + o, 16), v128.load(x + o, 16), a1);
          a2 = madd(v128.load(d + o, 32), v128.load(x + o, 32), a2);
          a3 = madd(v128.load(d + o, 48), v128.load(x + o, 48), a3);
        }
        for (; ow + 4 <= OW; ow += 4) a0 = madd(v128.load(d + (<usize>ow << 2)), v128.load(x + (<usize>ow << 2)), a0);
        for (; ow < OW; ow++) tail += load<f32>(d + (<usize>ow << 2)) * load<f32>(x + (<usize>ow << 2));
      }
      const sum = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
      const t = dW + (<usize>(r * S + s) << 2);
      store<f32>(t, load<f32>(t) + (f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3) + tail));
    }
  }
}

/**
 * f32-conv2d-dinput-4x8-wasmsimd, the input gradient as a scatter: for taps t (four at a time) and
 * 8 output columns, col(t) = Σ_k w[k, t] · dy[k, oh, ow…ow+7] stays in registers and is added at once
 * into the padded gradient planes at row oh·sh + r·dh, column ow + s·dw (im2col's transpose, with no
 * column matrix in memory).
 *   acc [cin, Hp, Wp]: zeroed by the caller, writable PLANE_SLACK floats past the end;
 *   dy [kout, OH, OW8], rows zero-padded to OW8 = OW rounded up to 8;
 *   packed, tapOffsets: from packInputGradTaps (the taps in its order).
 */
export function conv2dDirectInputGrad(
  acc: usize, dy: usize, packed: usize, tapOffsets: usize,
  taps: i32, Wp: i32, sh: i32, kout: i32, OH: i32, OW8: i32,
): void {
  const dyPlane = <usize>OH * OW8 << 2;
  for (let tb = 0; tb < taps; tb += 4) {
    const tv = min(4, taps - tb);
    const w = packed + (<usize>tb * kout << 2);
    const o0 = load<i32>(tapOffsets + (<usize>tb << 2));
    const o1 = tv > 1 ? load<i32>(tapOffsets + (<usize>(tb + 1) << 2)) : 0;
    const o2 = tv > 2 ? load<i32>(tapOffsets + (<usize>(tb + 2) << 2)) : 0;
    const o3 = tv > 3 ? load<i32>(tapOffsets + (<usize>(tb + 3) << 2)) : 0;
    for (let oh = 0; oh < OH; oh++) {
      const dRow = dy + (<usize>(oh * OW8) << 2);
      const aRow = acc + (<usize>(oh * sh * Wp) << 2);
      for (let ow = 0; ow < OW8; ow += 8) {
        let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        let d = dRow + (<usize>ow << 2);
        let wp = w;
        for (let k = 0; k < kout; k++, d += dyPlane, wp += 16) {
          const x0 = v128.load(d);
          const x1 = v128.load(d, 16);
          const w0 = v128.load32_splat(wp);
          const w1 = v128.load32_splat(wp, 4);
          const w2 = v128.load32_splat(wp, 8);
          const w3 = v128.load32_splat(wp, 12);
          a0 = madd(w0, x0, a0); a1 = madd(w0, x1, a1);
          a2 = madd(w1, x0, a2); a3 = madd(w1, x1, a3);
          a4 = madd(w2, x0, a4); a5 = madd(w2, x1, a5);
          a6 = madd(w3, x0, a6); a7 = madd(w3, x1, a7);
        }
        const base = aRow + (<usize>ow << 2);
        addInto8(base + (<usize>o0 << 2), a0, a1);
        if (tv > 1) addInto8(base + (<usize>o1 << 2), a2, a3);
        if (tv > 2) addInto8(base + (<usize>o2 << 2), a4, a5);
        if (tv > 3) addInto8(base + (<usize>o3 << 2), a6, a7);
      }
    }
  }
}

// p[0…8) += (v0, v1), unaligned.
// @ts-ignore: decorator
@inline
function addInto8(p: usize, v0: v128, v1: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v0));
  v128.store(p, f32x4.add(v128.load(p, 16), v1), 16);
}

/**
 * f32-conv2d-dweight-8x4-wasmsimd: dW[k, t] += Σ_{oh, ow} dy[k, oh, ow] · planes[c, oh·sh + r·dh, ow + s·dw],
 * a GEMM over the output pixels whose column operand is read straight from the padded planes: eight
 * channels (two v128 of a dy panel) × four taps (four broadcast plane values) in eight accumulators.
 *   dW [kout, taps], accumulated; planes [cin, Hp, Wp] zero-padded; dyT: dy through packGradPanels8;
 *   tapOffsets: writeTapOffsets in natural order.
 */
export function conv2dDirectWeightGrad(
  dW: usize, planes: usize, dyT: usize, tapOffsets: usize,
  taps: i32, Wp: i32, sh: i32, kout: i32, OH: i32, OW: i32,
): void {
  const P = OH * OW;
  const rowStep = <usize>(sh * Wp) << 2;
  for (let kb = 0; kb < kout; kb += 8) {
    const kv = min(8, kout - kb);
    const panel = dyT + (<usize>kb * P << 2);
    for (let tq = 0; tq < taps; tq += 4) {
      const tv = min(4, taps - tq);
      // Missing taps of the last quad reread the first (their sums are dropped).
      const o0 = load<i32>(tapOffsets + (<usize>tq << 2));
      const o1 = tv > 1 ? load<i32>(tapOffsets + (<usize>(tq + 1) << 2)) : o0;
      const o2 = tv > 2 ? load<i32>(tapOffsets + (<usize>(tq + 2) << 2)) : o0;
      const o3 = tv > 3 ? load<i32>(tapOffsets + (<usize>(tq + 3) << 2)) : o0;
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      let d = panel;
      let row = planes;
      for (let oh = 0; oh < OH; oh++, row += rowStep) {
        let p0 = row + (<usize>o0 << 2);
        let p1 = row + (<usize>o1 << 2);
        let p2 = row + (<usize>o2 << 2);
        let p3 = row + (<usize>o3 << 2);
        for (let ow = 0; ow < OW; ow++, d += 32, p0 += 4, p1 += 4, p2 += 4, p3 += 4) {
          const g0 = v128.load(d);
          const g1 = v128.load(d, 16);
          const x0 = v128.load32_splat(p0);
          const x1 = v128.load32_splat(p1);
          const x2 = v128.load32_splat(p2);
          const x3 = v128.load32_splat(p3);
          a0 = madd(x0, g0, a0); a1 = madd(x0, g1, a1);
          a2 = madd(x1, g0, a2); a3 = madd(x1, g1, a3);
          a4 = madd(x2, g0, a4); a5 = madd(x2, g1, a5);
          a6 = madd(x3, g0, a6); a7 = madd(x3, g1, a7);
        }
      }
      const dst = dW + (<usize>(kb * taps + tq) << 2);
      const stride = <usize>taps << 2;
      addColumn8(dst, stride, a0, a1, kv);
      if (tv > 1) addColumn8(dst + 4, stride, a2, a3, kv);
      if (tv > 2) addColumn8(dst + 8, stride, a4, a5, kv);
      if (tv > 3) addColumn8(dst + 12, stride, a6, a7, kv);
    }
  }
}

// p[i·stride] += lane i of (v0, v1) for i < n: one tap's sums for eight channels.
// @ts-ignore: decorator
@inline
function addColumn8(p: usize, stride: usize, v0: v128, v1: v128, n: i32): void {
  store<f32>(p, load<f32>(p) + f32x4.extract_lane(v0, 0));
  if (n > 1) store<f32>(p + stride, load<f32>(p + stride) + f32x4.extract_lane(v0, 1));
  if (n > 2) store<f32>(p + 2 * stride, load<f32>(p + 2 * stride) + f32x4.extract_lane(v0, 2));
  if (n > 3) store<f32>(p + 3 * stride, load<f32>(p + 3 * stride) + f32x4.extract_lane(v0, 3));
  if (n > 4) store<f32>(p + 4 * stride, load<f32>(p + 4 * stride) + f32x4.extract_lane(v1, 0));
  if (n > 5) store<f32>(p + 5 * stride, load<f32>(p + 5 * stride) + f32x4.extract_lane(v1, 1));
  if (n > 6) store<f32>(p + 6 * stride, load<f32>(p + 6 * stride) + f32x4.extract_lane(v1, 2));
  if (n > 7) store<f32>(p + 7 * stride, load<f32>(p + 7 * stride) + f32x4.extract_lane(v1, 3));
}

// Stores min(n, 8) outputs from two vectors, plus bias[0] when bias ≠ 0: vector stores for whole
// vectors, the scalar edge path lane by lane for the rest.
// @ts-ignore: decorator
@inline
function storeOutput8(dst: usize, v0: v128, v1: v128, bias: usize, n: i32): void {
  if (bias) {
    const b = v128.load32_splat(bias);
    v0 = f32x4.add(v0, b);
    v1 = f32x4.add(v1, b);
  }
  if (n >= 8) {
    v128.store(dst, v0);
    v128.store(dst, v1, 16);
  } else if (n >= 4) {
    v128.store(dst, v0);
    storeLanes(dst + 16, v1, n - 4);
  } else {
    storeLanes(dst, v0, n);
  }
}

// Scalar edge path: the first n (< 4) lanes of v.
// @ts-ignore: decorator
@inline
function storeLanes(dst: usize, v: v128, n: i32): void {
  if (n > 0) store<f32>(dst, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(v, 2), 8);
}

// Layout transforms of the convolution kernels, for one image and one group of channels:
// im2col (the input as the K×N operand of a GEMM), col2im (its transpose, a scatter-add) and the
// zero-padded plane copy that the direct kernels read without bounds checks.
//
// Notation: C channels of H×W input, kernel R×S, stride sh×sw, padding ph×pw, dilation dh×dw,
// output OH×OW. Input pixel of output (oh, ow) and tap (r, s): ih = oh·sh + r·dh − ph, iw = ow·sw + s·dw − pw.

// The output columns [firstColumn, endColumn) are those whose input column ow·sw + off lies in [0, W).
// @ts-ignore: decorator
@inline
function firstColumn(off: i32, sw: i32, OW: i32): i32 {
  return off >= 0 ? 0 : min(OW, (sw - 1 - off) / sw);
}

// @ts-ignore: decorator
@inline
function endColumn(off: i32, W: i32, sw: i32, OW: i32, lo: i32): i32 {
  return max(lo, W - off > 0 ? min(OW, (W - off + sw - 1) / sw) : 0);
}

/**
 * im2col of output rows [oh0, oh1): col[(c·R + r)·S + s, (oh − oh0)·OW + ow] = inp[c, ih, iw], 0 where
 * (ih, iw) falls in the padding.
 *   inp: [C, H, W] dense; col: [C·R·S, (oh1 − oh0)·OW] dense.
 * Rows of contiguous input (sw = 1) are block copies; other strides gather one value at a time.
 */
export function im2colF32(
  col: usize, inp: usize, C: i32, H: i32, W: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh0: i32, oh1: i32, OW: i32,
): void {
  walkTaps(false, col, inp, C, H, W, R, S, sh, sw, ph, pw, dh, dw, oh0, oh1, OW);
}

/**
 * col2im of output rows [oh0, oh1): inp[c, ih, iw] += col[(c·R + r)·S + s, (oh − oh0)·OW + ow] for every tap that reads (ih, iw);
 * taps in the padding are dropped. The transpose of im2colF32 (same shapes); the caller zeroes inp first.
 * SIMD adds along contiguous input rows (sw = 1), scalar adds otherwise and at the row tails.
 */
export function col2imAddF32(
  inp: usize, col: usize, C: i32, H: i32, W: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh0: i32, oh1: i32, OW: i32,
): void {
  walkTaps(true, col, inp, C, H, W, R, S, sh, sw, ph, pw, dh, dw, oh0, oh1, OW);
}

// Visits every row (c, r, s, oh) of the im2col matrix with the input row it reads, copying the
// valid columns into col (gather) or adding them back into inp (scatter); inlined with a constant.
// @ts-ignore: decorator
@inline
function walkTaps(
  scatter: bool, col: usize, inp: usize, C: i32, H: i32, W: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, oh0: i32, oh1: i32, OW: i32,
): void {
  const rowBytes = <usize>OW << 2;
  let cr = col;
  for (let c = 0; c < C; c++) {
    const plane = inp + (<usize>c * H * W << 2);
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const off = s * dw - pw;
        const lo = firstColumn(off, sw, OW);
        const hi = endColumn(off, W, sw, OW, lo);
        for (let oh = oh0; oh < oh1; oh++, cr += rowBytes) {
          const ih = oh * sh + r * dh - ph;
          const outside = ih < 0 || ih >= H;
          if (scatter) {
            if (outside) continue;
          } else if (outside || lo == hi) {
            zeroRow(cr, OW);
            continue;
          }
          const row = plane + (<usize>(ih * W) << 2);
          if (scatter) {
            if (sw == 1) {
              addRow(row + (<usize>(lo + off) << 2), cr + (<usize>lo << 2), hi - lo);
            } else {
              for (let ow = lo; ow < hi; ow++) {
                const p = row + (<usize>(ow * sw + off) << 2);
                store<f32>(p, load<f32>(p) + load<f32>(cr + (<usize>ow << 2)));
              }
            }
            continue;
          }
          zeroRow(cr, lo);
          if (sw == 1) {
            copyRow(cr + (<usize>lo << 2), row + (<usize>(lo + off) << 2), hi - lo);
          } else {
            for (let ow = lo; ow < hi; ow++) store<f32>(cr + (<usize>ow << 2), load<f32>(row + (<usize>(ow * sw + off) << 2)));
          }
          zeroRow(cr + (<usize>hi << 2), OW - hi);
        }
      }
    }
  }
}

// Short rows are copied and cleared by these loops: memory.copy and memory.fill cost a call each in
// V8, which dominates rows of a few dozen floats.

// dst[i] = src[i] for i in [0, n) (no overlap): f32x4 body, scalar tail.
// @ts-ignore: decorator
@inline
function copyRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

// dst[i] = 0 for i in [0, n).
// @ts-ignore: decorator
@inline
function zeroRow(dst: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), zero);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// dst[i] += src[i] for i in [0, n): f32x4 body, scalar tail.
// @ts-ignore: decorator
@inline
function addRow(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * Zero-padded (or cropped) copy: dst[c, y, x] = src[c, y − top, x − left], 0 outside src.
 *   src: [C, H, W] dense; dst: [C, Hp, Wp] dense. top and left may be negative (a crop).
 */
export function padPlanesF32(dst: usize, src: usize, C: i32, H: i32, W: i32, Hp: i32, Wp: i32, top: i32, left: i32): void {
  const rowBytes = <usize>Wp << 2;
  const lo = min(Wp, max(0, left));
  const hi = max(lo, min(Wp, W + left));
  for (let c = 0; c < C; c++) {
    const plane = src + (<usize>c * H * W << 2);
    for (let y = 0; y < Hp; y++, dst += rowBytes) {
      const iy = y - top;
      if (iy < 0 || iy >= H || lo == hi) {
        zeroRow(dst, Wp);
        continue;
      }
      zeroRow(dst, lo);
      copyRow(dst + (<usize>lo << 2), plane + (<usize>(iy * W + lo - left) << 2), hi - lo);
      zeroRow(dst + (<usize>hi << 2), Wp - hi);
    }
  }
}

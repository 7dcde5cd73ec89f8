// Direct convolution micro-kernels, wasm SIMD, for one image and one group at stride 1 along W (the
// path for few channels per group, where im2col + GEMM spends more time copying than multiplying).
// They read zero-padded planes (im2col.ts padPlanesF32), so their loops have no bounds checks, and
// vectorise along the output width.
//
// Notation: cin input planes [cin, Hp, Wp]; kout outputs; kernel R×S with dilation dh×dw; output
// rows step sh through the planes; the tap index t = (c·R + r)·S + s runs over cin·R·S taps.

/** Floats that the widest tile may read or write past the end of its planes (lanes discarded or zero). */
export const PLANE_SLACK: i32 = 16;

/**
 * Packs a matrix in the four-lane layout of the kernels: dst[ob][t][i] = m(4·ob + i, t) for rows
 * o < rows (zero-padded to a multiple of four) and columns t < cols, where m(o, t) = a[o, t] with
 * a [rows, cols], or a[t, o] with a [cols, rows] when transposed.
 */
export function packRows4(dst: usize, a: usize, rows: i32, cols: i32, transposed: bool): void {
  for (let ob = 0; ob < rows; ob += 4) {
    for (let t = 0; t < cols; t++) {
      for (let i = 0; i < 4; i++) {
        const o = ob + i;
        let v: f32 = 0;
        if (o < rows) v = load<f32>(a + (<usize>(transposed ? t * rows + o : o * cols + t) << 2));
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

/**
 * Forward: out[o, oh, ow] = bias[o] + Σ_t w(o, t) · planes[c, oh·sh + r·dh, ow + s·dw].
 *   out [kout, OH, OW]; planes [cin, Hp, Wp], readable PLANE_SLACK floats past the end; packed: the
 *   weights [kout, cin·R·S] through packRows4; bias [kout] or 0.
 */
export function conv2dDirectForward(
  out: usize, planes: usize, packed: usize, bias: usize,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32,
  kout: i32, OH: i32, OW: i32,
): void {
  const taps = cin * R * S;
  for (let kb = 0; kb < kout; kb += 4) {
    const o = out + (<usize>kb * OH * OW << 2);
    const w = packed + (<usize>kb * taps << 2);
    const b = bias ? bias + (<usize>kb << 2) : 0;
    const kv = min(4, kout - kb);
    if (kv == 1) conv2dDirect1x16(o, planes, w, b, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW);
    else conv2dDirect4x8(o, planes, w, b, kv, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW);
  }
}

// f32-conv2d-direct-4x8-wasmsimd: kv ≤ 4 output channels × 8 output columns in eight v128
// accumulators; per tap, two unaligned loads of the padded row and four broadcast weights.
function conv2dDirect4x8(
  out: usize, planes: usize, w: usize, bias: usize, kv: i32,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32,
): void {
  directTiles(false, out, planes, w, bias, kv, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW);
}

// f32-conv2d-direct-1x16-wasmsimd: one output channel × 16 output columns in four v128 accumulators
// (enough independent chains to hide the add latency); the weight is lane 0 of each pack.
function conv2dDirect1x16(
  out: usize, planes: usize, w: usize, bias: usize,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32,
): void {
  directTiles(true, out, planes, w, bias, 1, cin, Hp, Wp, R, S, sh, dh, dw, OH, OW);
}

// The body of both forward tiles (inlined with a constant `single`, so each compiles to its own loop):
// eight accumulators a0…a7 hold 4 channels × 8 columns, or 1 channel × 16 columns.
// @ts-ignore: decorator
@inline
function directTiles(
  single: bool, out: usize, planes: usize, w: usize, bias: usize, kv: i32,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32, OH: i32, OW: i32,
): void {
  const planeBytes = <usize>Hp * Wp << 2;
  const rowStep = <usize>(dh * Wp) << 2;
  const tapStep = <usize>dw << 2;
  const outPlane = <usize>OH * OW << 2;
  const width = single ? 16 : 8;
  for (let oh = 0; oh < OH; oh++) {
    const rowBase = planes + (<usize>(oh * sh * Wp) << 2);
    for (let ow = 0; ow < OW; ow += width) {
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
      let wp = w;
      let cp = rowBase + (<usize>ow << 2);
      for (let c = 0; c < cin; c++, cp += planeBytes) {
        let rp = cp;
        for (let r = 0; r < R; r++, rp += rowStep) {
          let q = rp;
          for (let s = 0; s < S; s++, q += tapStep, wp += 16) {
            const x0 = v128.load(q);
            const x1 = v128.load(q, 16);
            const w0 = v128.load32_splat(wp);
            a0 = f32x4.add(a0, f32x4.mul(w0, x0));
            a1 = f32x4.add(a1, f32x4.mul(w0, x1));
            if (single) {
              a2 = f32x4.add(a2, f32x4.mul(w0, v128.load(q, 32)));
              a3 = f32x4.add(a3, f32x4.mul(w0, v128.load(q, 48)));
            } else {
              const w1 = v128.load32_splat(wp, 4);
              const w2 = v128.load32_splat(wp, 8);
              const w3 = v128.load32_splat(wp, 12);
              a2 = f32x4.add(a2, f32x4.mul(w1, x0)); a3 = f32x4.add(a3, f32x4.mul(w1, x1));
              a4 = f32x4.add(a4, f32x4.mul(w2, x0)); a5 = f32x4.add(a5, f32x4.mul(w2, x1));
              a6 = f32x4.add(a6, f32x4.mul(w3, x0)); a7 = f32x4.add(a7, f32x4.mul(w3, x1));
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
 * f32-conv2d-dinput-4x8-wasmsimd, the input gradient as a scatter: for taps t (four at a time) and
 * 8 output columns, col(t) = Σ_k w[k, t] · dy[k, oh, ow…ow+7] stays in registers and is added at once
 * into the padded gradient planes at row oh·sh + r·dh, column ow + s·dw (im2col's transpose, with no
 * column matrix in memory).
 *   acc [cin, Hp, Wp]: zeroed by the caller, writable PLANE_SLACK floats past the end;
 *   dy [kout, OH, OW8], rows zero-padded to OW8 = OW rounded up to 8;
 *   packed: the weights [kout, cin·R·S] through packRows4 transposed (four taps per pack, kout each);
 *   tapOffsets: i32 per tap, (c·Hp + r·dh)·Wp + s·dw.
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
          a0 = f32x4.add(a0, f32x4.mul(w0, x0)); a1 = f32x4.add(a1, f32x4.mul(w0, x1));
          a2 = f32x4.add(a2, f32x4.mul(w1, x0)); a3 = f32x4.add(a3, f32x4.mul(w1, x1));
          a4 = f32x4.add(a4, f32x4.mul(w2, x0)); a5 = f32x4.add(a5, f32x4.mul(w2, x1));
          a6 = f32x4.add(a6, f32x4.mul(w3, x0)); a7 = f32x4.add(a7, f32x4.mul(w3, x1));
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
 * f32-conv2d-dweight-4x2-wasmsimd: dW[o, t] += Σ_{oh, ow} dy[o, oh, ow] · planes[c, oh·sh + r·dh, ow + s·dw]
 * for four output channels × two neighbouring taps s, s+1 in eight v128 partial sums over the columns.
 *   dW [kout, cin·R·S], accumulated; planes [cin, Hp, Wp], zero beyond the input so that the padded
 *   columns contribute nothing; dy [kout rounded up to 4, OH, OW4], zero-padded rows and channels.
 */
export function conv2dDirectWeightGrad(
  dW: usize, planes: usize, dy: usize,
  cin: i32, Hp: i32, Wp: i32, R: i32, S: i32, sh: i32, dh: i32, dw: i32,
  kout: i32, OH: i32, OW4: i32,
): void {
  const taps = cin * R * S;
  const dyPlane = <usize>OH * OW4 << 2;
  const tapStep = <usize>dw << 2;
  for (let kb = 0; kb < kout; kb += 4) {
    const kv = min(4, kout - kb);
    const dk = dy + (<usize>kb * dyPlane);
    for (let c = 0; c < cin; c++) {
      for (let r = 0; r < R; r++) {
        for (let s = 0; s < S; s += 2) {
          const pair = s + 1 < S;
          let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
          for (let oh = 0; oh < OH; oh++) {
            const x = planes + (<usize>((c * Hp + oh * sh + r * dh) * Wp + s * dw) << 2);
            const d = dk + (<usize>(oh * OW4) << 2);
            for (let ow = 0; ow < OW4; ow += 4) {
              const off = <usize>ow << 2;
              const x0 = v128.load(x + off);
              const x1 = v128.load(x + off + tapStep);
              const d0 = v128.load(d + off);
              const d1 = v128.load(d + off + dyPlane);
              const d2 = v128.load(d + off + 2 * dyPlane);
              const d3 = v128.load(d + off + 3 * dyPlane);
              a0 = f32x4.add(a0, f32x4.mul(d0, x0)); a1 = f32x4.add(a1, f32x4.mul(d0, x1));
              a2 = f32x4.add(a2, f32x4.mul(d1, x0)); a3 = f32x4.add(a3, f32x4.mul(d1, x1));
              a4 = f32x4.add(a4, f32x4.mul(d2, x0)); a5 = f32x4.add(a5, f32x4.mul(d2, x1));
              a6 = f32x4.add(a6, f32x4.mul(d3, x0)); a7 = f32x4.add(a7, f32x4.mul(d3, x1));
            }
          }
          const t = (c * R + r) * S + s;
          const dst = dW + (<usize>(kb * taps + t) << 2);
          const row = <usize>taps << 2;
          addLanes(dst, a0, pair, a1);
          if (kv > 1) addLanes(dst + row, a2, pair, a3);
          if (kv > 2) addLanes(dst + 2 * row, a4, pair, a5);
          if (kv > 3) addLanes(dst + 3 * row, a6, pair, a7);
        }
      }
    }
  }
}

// p[0] += Σ lanes of v0, and p[1] += Σ lanes of v1 when `pair`.
// @ts-ignore: decorator
@inline
function addLanes(p: usize, v0: v128, pair: bool, v1: v128): void {
  store<f32>(p, load<f32>(p) + lanesSum(v0));
  if (pair) store<f32>(p, load<f32>(p, 4) + lanesSum(v1), 4);
}

// @ts-ignore: decorator
@inline
function lanesSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
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

// 2-D convolution, NCHW, f32, wasm SIMD: forward, backward to the input, backward to the weight and bias.
//
// Shapes (every buffer dense, row-major):
//   inp [N, C, H, W], weight [K, C/groups, R, S], bias [K], out [N, K, OH, OW],
//   OH = (H + 2·ph − dh·(R − 1) − 1) / sh + 1 (floored), OW likewise.
// Group g maps input channels [g·Cg, (g+1)·Cg) to output channels [g·Kg, (g+1)·Kg), Cg = C/groups,
// Kg = K/groups, so its weights W_g are the contiguous [Kg, Cg·R·S] slice at row g·Kg.
//
// Paths, per image n and group g:
//   general    out_g = W_g · im2col(inp_g) + bias (the GEMM, fused bias); 1×1 stride-1 unpadded
//              convolutions skip im2col and multiply the input planes in place.
//   direct     few input channels (Cg ≤ DIRECT_MAX_CHANNELS) and stride 1 along W: the input planes
//              are copied zero-padded, then f32-conv2d-direct-4x8 (or -1x16) keeps a tile of output
//              channels × output columns in registers while it streams the taps.
//   backward   dInp_g = col2im(W_gᵀ · dOut_g), or, at stride 1 with few output channels, the direct
//              kernel over dOut with the kernel flipped and transposed (a full correlation);
//              dW_gᵀ = Σ_n im2col(inp_g) · dOut_gᵀ (then transposed once), dBias = Σ_{n,oh,ow} dOut.
//
// Every kernel handles images [nStart, nEnd) only, so a batch can be split across workers, and takes
// a workspace of conv2dWorkspaceBytes(...) bytes: a record of the call's sizes, the GEMM's own
// workspace, then the scratch (im2col matrix, or padded planes and packed weights).
import { gemm, gemmWorkspaceBytes, GEMM_ACCUMULATE, GEMM_BIAS_ROW, GEMM_TRANS_A, GEMM_TRANS_B } from './gemm';
import { col2imAddF32, im2colF32, padPlanesF32 } from './im2col';
import { sumContiguous } from './reduce';

/** Groups with at most this many input channels (output channels, for the input gradient) go direct. */
const DIRECT_MAX_CHANNELS: i32 = 4;
/** Floats past the padded planes that the widest direct tile may read (their lanes are discarded). */
const PLANE_SLACK: i32 = 16;
/** Bytes reserved at the start of the workspace for the ConvShape record. */
const SHAPE_BYTES: usize = 128;

// One call's sizes, kept in the first bytes of its workspace so the helpers below take one argument.
@unmanaged
class ConvShape {
  N: i32; C: i32; H: i32; W: i32; K: i32; R: i32; S: i32;
  sh: i32; sw: i32; ph: i32; pw: i32; dh: i32; dw: i32; groups: i32;
  OH: i32; OW: i32;
  /** Channels per group (input, output), taps per output (Cg·R·S), output pixels per plane. */
  Cg: i32; Kg: i32; CRS: i32; P: i32;
  pointwise: bool;
  /** The GEMM's workspace and the scratch after it (16-byte aligned). */
  gemmWork: usize; scratch: usize;
}

function describe(
  work: usize, N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): ConvShape {
  const g = changetype<ConvShape>(work);
  g.N = N; g.C = C; g.H = H; g.W = W; g.K = K; g.R = R; g.S = S;
  g.sh = sh; g.sw = sw; g.ph = ph; g.pw = pw; g.dh = dh; g.dw = dw; g.groups = groups;
  g.OH = (H + 2 * ph - dh * (R - 1) - 1) / sh + 1;
  g.OW = (W + 2 * pw - dw * (S - 1) - 1) / sw + 1;
  g.Cg = C / groups;
  g.Kg = K / groups;
  g.CRS = g.Cg * R * S;
  g.P = g.OH * g.OW;
  g.pointwise = R == 1 && S == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
  g.gemmWork = work + SHAPE_BYTES;
  g.scratch = (g.gemmWork + <usize>gemmWorkspaceBytes() + 15) & ~15;
  return g;
}

// Byte addresses of image n's group grp: input channels, output channels, the group's weights.
// @ts-ignore: decorator
@inline
function inputAt(g: ConvShape, inp: usize, n: i32, grp: i32): usize {
  return inp + (<usize>(n * g.C + grp * g.Cg) * g.H * g.W << 2);
}

// @ts-ignore: decorator
@inline
function outputAt(g: ConvShape, out: usize, n: i32, grp: i32): usize {
  return out + (<usize>(n * g.K + grp * g.Kg) * g.P << 2);
}

// @ts-ignore: decorator
@inline
function weightAt(g: ConvShape, weight: usize, grp: i32): usize {
  return weight + (<usize>grp * g.Kg * g.CRS << 2);
}

// @ts-ignore: decorator
@inline
function im2col(g: ConvShape, col: usize, src: usize): void {
  im2colF32(col, src, g.Cg, g.H, g.W, g.R, g.S, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.OH, g.OW);
}

// Floats of zero-padded planes plus packed weights for the direct kernel, rounded up to whole v128s.
// @ts-ignore: decorator
@inline
function planeFloats(cin: i32, hp: i32, wp: i32): i32 {
  return (cin * hp * wp + PLANE_SLACK + 3) & ~3;
}

/**
 * Bytes of workspace any of the three conv2d kernels needs for this geometry: a header, the GEMM
 * workspace, then room for the im2col matrix [Cg·R·S, OH·OW] and dWᵀ [Cg·R·S, Kg], or for the direct
 * path's padded planes and packed weights. A float, since large geometries pass 2³¹.
 */
export function conv2dWorkspaceBytes(
  C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): f64 {
  const OH = (H + 2 * ph - dh * (R - 1) - 1) / sh + 1;
  const OW = (W + 2 * pw - dw * (S - 1) - 1) / sw + 1;
  const Cg = C / groups;
  const Kg = K / groups;
  const taps = <f64>(R * S);
  const general = Cg * taps * (<f64>OH * OW + Kg);
  const forward = 4 * Math.ceil((<f64>Cg * ((OH - 1) * sh + (R - 1) * dh + 1) * (OW + (S - 1) * dw) + PLANE_SLACK) / 4)
    + <f64>((Kg + 3) & ~3) * Cg * taps;
  const backward = 4 * Math.ceil((<f64>Kg * (H + (R - 1) * dh) * (W + (S - 1) * dw) + PLANE_SLACK) / 4)
    + <f64>((Cg + 3) & ~3) * Kg * taps;
  return <f64>SHAPE_BYTES + <f64>gemmWorkspaceBytes() + 16 + 4 * Math.max(general, Math.max(forward, backward));
}

/**
 * Forward: out[n, k, oh, ow] = bias[k] + Σ_{c∈group(k), r, s} weight[k, c − g·Cg, r, s] · inp[n, c, ih, iw],
 * ih = oh·sh + r·dh − ph, iw = ow·sw + s·dw − pw (zero outside the input), for n in [nStart, nEnd).
 *   out [N, K, OH, OW]; inp [N, C, H, W]; weight [K, C/groups, R, S]; bias [K] or 0 for none.
 */
export function conv2dForward(
  out: usize, inp: usize, weight: usize, bias: usize,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  nStart: i32, nEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  nEnd = min(nEnd, N);
  if (sw == 1 && g.Cg <= DIRECT_MAX_CHANNELS && !g.pointwise) {
    const Hp = (g.OH - 1) * sh + (R - 1) * dh + 1;
    const Wp = g.OW + (S - 1) * dw;
    const packed = g.scratch + (<usize>planeFloats(g.Cg, Hp, Wp) << 2);
    for (let grp = 0; grp < groups; grp++) {
      packDirectWeights(packed, weightAt(g, weight, grp), g.Kg, g.Cg, R, S, false);
      const bg = bias ? bias + (<usize>grp * g.Kg << 2) : 0;
      for (let n = nStart; n < nEnd; n++) {
        padPlanesF32(g.scratch, inputAt(g, inp, n, grp), g.Cg, H, W, Hp, Wp, ph, pw);
        conv2dDirect(outputAt(g, out, n, grp), g.scratch, packed, bg, g.Cg, Hp, Wp, R, S, sh, dh, dw, g.Kg, g.OH, g.OW);
      }
    }
    return;
  }
  for (let n = nStart; n < nEnd; n++) {
    for (let grp = 0; grp < groups; grp++) {
      let col = inputAt(g, inp, n, grp);
      if (!g.pointwise) {
        im2col(g, g.scratch, col);
        col = g.scratch;
      }
      gemm(
        outputAt(g, out, n, grp), weightAt(g, weight, grp), col, bias ? bias + (<usize>grp * g.Kg << 2) : 0,
        g.Kg, g.P, g.CRS, g.CRS, g.P, g.P, bias ? GEMM_BIAS_ROW : 0, 0, g.Kg, g.gemmWork,
      );
    }
  }
}

/**
 * Backward to the input: dInp[n, c, ih, iw] = Σ over every (k, r, s, oh, ow) whose tap reads (ih, iw)
 * of weight[k, c − g·Cg, r, s] · dOut[n, k, oh, ow], for n in [nStart, nEnd). Overwrites dInp there.
 *   dInp [N, C, H, W]; dOut [N, K, OH, OW]; weight [K, C/groups, R, S].
 */
export function conv2dBackwardInput(
  dInp: usize, dOut: usize, weight: usize,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  nStart: i32, nEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  nEnd = min(nEnd, N);
  if (sh == 1 && sw == 1 && g.Kg <= DIRECT_MAX_CHANNELS && !g.pointwise) {
    // A stride-1 correlation of dOut, padded by dh·(R − 1) − ph (negative: cropped), with the
    // flipped kernel whose input and output channels are swapped.
    const Hp = H + (R - 1) * dh;
    const Wp = W + (S - 1) * dw;
    const packed = g.scratch + (<usize>planeFloats(g.Kg, Hp, Wp) << 2);
    for (let grp = 0; grp < groups; grp++) {
      packDirectWeights(packed, weightAt(g, weight, grp), g.Cg, g.Kg, R, S, true);
      for (let n = nStart; n < nEnd; n++) {
        padPlanesF32(g.scratch, outputAt(g, dOut, n, grp), g.Kg, g.OH, g.OW, Hp, Wp, (R - 1) * dh - ph, (S - 1) * dw - pw);
        conv2dDirect(inputAt(g, dInp, n, grp), g.scratch, packed, 0, g.Kg, Hp, Wp, R, S, 1, dh, dw, g.Cg, H, W);
      }
    }
    return;
  }
  for (let n = nStart; n < nEnd; n++) {
    if (!g.pointwise) memory.fill(inputAt(g, dInp, n, 0), 0, <usize>C * H * W << 2);
    for (let grp = 0; grp < groups; grp++) {
      const dst = inputAt(g, dInp, n, grp);
      const dy = outputAt(g, dOut, n, grp);
      const wg = weightAt(g, weight, grp);
      if (g.pointwise) {
        gemm(dst, wg, dy, 0, g.Cg, g.P, g.Kg, g.CRS, g.P, g.P, GEMM_TRANS_A, 0, g.Cg, g.gemmWork);
      } else {
        gemm(g.scratch, wg, dy, 0, g.CRS, g.P, g.Kg, g.CRS, g.P, g.P, GEMM_TRANS_A, 0, g.CRS, g.gemmWork);
        col2imAddF32(dst, g.scratch, g.Cg, H, W, R, S, sh, sw, ph, pw, dh, dw, g.OH, g.OW);
      }
    }
  }
}

/**
 * Backward to the weight and bias over images [nStart, nEnd) (overwrites both; zeros for an empty range):
 *   dWeight[k, c, r, s] = Σ_{n, oh, ow} dOut[n, k, oh, ow] · inp[n, g·Cg + c, ih, iw];
 *   dBias[k] = Σ_{n, oh, ow} dOut[n, k, oh, ow] (dBias = 0: not wanted).
 *   dWeight [K, C/groups, R, S]; dBias [K]; dOut [N, K, OH, OW]; inp [N, C, H, W].
 */
export function conv2dBackwardWeight(
  dWeight: usize, dBias: usize, dOut: usize, inp: usize,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  nStart: i32, nEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  nEnd = min(nEnd, N);
  const CRS = g.CRS;
  const Kg = g.Kg;
  const dWT = g.pointwise ? g.scratch : g.scratch + (<usize>CRS * g.P << 2); // [CRS, Kg]
  for (let grp = 0; grp < groups; grp++) {
    const dwg = weightAt(g, dWeight, grp);
    if (nStart >= nEnd) {
      memory.fill(dwg, 0, <usize>Kg * CRS << 2);
      continue;
    }
    for (let n = nStart; n < nEnd; n++) {
      let col = inputAt(g, inp, n, grp);
      if (!g.pointwise) {
        im2col(g, g.scratch, col);
        col = g.scratch;
      }
      const flags = GEMM_TRANS_B | (n > nStart ? GEMM_ACCUMULATE : 0);
      gemm(dWT, col, outputAt(g, dOut, n, grp), 0, CRS, Kg, g.P, g.P, g.P, Kg, flags, 0, CRS, g.gemmWork);
    }
    for (let k = 0; k < Kg; k++) {
      for (let t = 0; t < CRS; t++) {
        store<f32>(dwg + (<usize>(k * CRS + t) << 2), load<f32>(dWT + (<usize>(t * Kg + k) << 2)));
      }
    }
  }

  if (!dBias) return;
  for (let k = 0; k < K; k++) {
    let sum: f32 = 0;
    for (let n = nStart; n < nEnd; n++) sum += sumContiguous(dOut + (<usize>(n * K + k) * g.P << 2), g.P);
    store<f32>(dBias + (<usize>k << 2), sum);
  }
}

// Packs the weights of one group for the direct kernels: dst[kb][t][i] = w(4·kb + i, t), t = (c·R + r)·S + s
// over the cin·R·S taps, four output channels per pack, zero-padded to a multiple of four.
//   flip = false: w(o, t) = weight[o, c, r, s], weight [kout, cin, R, S] (the forward kernel).
//   flip = true:  w(o, t) = weight[c, o, R−1−r, S−1−s], weight [cin, kout, R, S] (the input gradient's).
function packDirectWeights(dst: usize, weight: usize, kout: i32, cin: i32, R: i32, S: i32, flip: bool): void {
  const taps = cin * R * S;
  for (let kb = 0; kb < kout; kb += 4) {
    for (let t = 0; t < taps; t++) {
      const c = t / (R * S);
      const r = (t / S) % R;
      const s = t % S;
      for (let i = 0; i < 4; i++) {
        const o = kb + i;
        let v: f32 = 0;
        if (o < kout) {
          const index = flip ? ((c * kout + o) * R + R - 1 - r) * S + S - 1 - s : o * taps + t;
          v = load<f32>(weight + (<usize>index << 2));
        }
        store<f32>(dst, v);
        dst += 4;
      }
    }
  }
}

// The direct convolution of one image and group at stride 1 along W:
//   out[o, oh, ow] = bias[o] + Σ_{c, r, s} w(o, (c·R + r)·S + s) · planes[c, oh·sh + r·dh, ow + s·dw]
//   out [kout, OH, OW]; planes [cin, Hp, Wp] zero-padded, readable PLANE_SLACK floats past the end;
//   packed weights from packDirectWeights; bias [kout] or 0.
function conv2dDirect(
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

// The body of both direct tiles (inlined with a constant `single`, so each compiles to its own loop):
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

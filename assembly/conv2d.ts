// 2-D convolution, NCHW, f32, wasm SIMD: forward, backward to the input, backward to the weight and bias.
//
// Shapes (every buffer dense, row-major):
//   inp [N, C, H, W], weight [K, C/groups, R, S], bias [K], out [N, K, OH, OW],
//   OH = (H + 2·ph − dh·(R − 1) − 1) / sh + 1 (floored), OW likewise.
// Group g maps input channels [g·Cg, (g+1)·Cg) to output channels [g·Kg, (g+1)·Kg), Cg = C/groups,
// Kg = K/groups, so its weights W_g are the contiguous [Kg, Cg·R·S] slice at row g·Kg.
//
// Paths, per image n and group g:
//   general    out_g = W_g · im2col(inp_g) + bias (the GEMM, fused bias); dInp_g = col2im(W_gᵀ · dOut_g);
//              dW_gᵀ = Σ_n im2col(inp_g) · dOut_gᵀ (transposed once at the end). 1×1 stride-1 unpadded
//              convolutions skip im2col and use the input planes in place.
//   direct     stride 1 along W and not 1×1, with few input channels per group (Cg ≤ 16) in the
//              portable build and any number in the relaxed-SIMD build (see DIRECT_MAX_CHANNELS): the
//              kernels of conv2d-direct.ts over zero-padded planes, with no column matrix (forward: a
//              tile of output channels × columns; input gradient: GEMM tiles scattered straight into
//              padded gradient planes; weight gradient: channels × taps partial sums along the columns).
//   dBias = Σ_{n, oh, ow} dOut on every path.
//
// Every kernel handles a range of the batch only, so a call can be split across workers: the forward
// pass a range [rowStart, rowEnd) of the batch's output rows (row r is row r mod OH of image r / OH),
// the input gradient a range of the batch's input channels (n·C + c), the weight gradient images
// [nStart, nEnd). The general path and the direct forward pass compute exactly the rows or channels
// asked for, so even one image can be split; the direct gradients compute the whole images whose first
// row or channel is in range.
// Each takes a workspace of conv2dWorkspaceBytes(...) bytes: a record of the call's sizes, the GEMM's
// own workspace, then the scratch (im2col matrix, or padded planes and packed weights).
import { gemm, gemmTile, gemmTiled, gemmWorkspaceBytes, GEMM_ACCUMULATE, GEMM_BIAS_ROW, GEMM_TRANS_A, GEMM_TRANS_B } from './gemm';
import {
  conv2dDepthwise3x3p1Forward, conv2dDepthwiseForward, conv2dDepthwiseWeightGrad, conv2dDirectForward, conv2dDirectInputGrad, conv2dDirectWeightGrad, packForwardWeights, packGradPanels8, packInputGradTaps, PLANE_SLACK, writeTapOffsets,
} from './conv2d-direct';
import { col2imAddF32, im2colF32, padPlanesF32 } from './im2col';
import { sumContiguous } from './reduce';
import { reluF32, reluF32x4 } from './activations';

/** Input channels per group that the direct kernels take in both builds. */
const FEW_CHANNELS: i32 = 16;
/**
 * Groups with at most this many input channels take the direct kernels (when stride W is 1). In the
 * portable build, 16: beyond, im2col + GEMM wins (the direct 4×8 tile needs all 15 registers V8 gives
 * with a product register for mul + add, and runs 12–18 % slower than im2col + GEMM on 32–128
 * channels). In the relaxed-SIMD build any number: the fused multiply-add frees that register and the
 * direct kernels beat im2col + GEMM (which copies every input value R·S times, then packs it) by
 * 5–24 % forward and up to 40 % on the gradients, on 3×3 layers of 32–128 channels at 8×8–56×56.
 * The gradients of a single image stay on im2col + GEMM there, which splits one image across threads.
 */
const DIRECT_MAX_CHANNELS: i32 = ASC_FEATURE_RELAXED_SIMD ? i32.MAX_VALUE : FEW_CHANNELS;
/** The general path builds the im2col matrix for about this many output pixels at a time (whole output
 * rows; the GEMM's column block), so that it stays in cache between im2col and the GEMM's packing. */
const CHUNK_PIXELS: i32 = 1024;
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

// Output rows per im2col chunk of the general path (all of them for 1×1, which multiplies the input in place).
// @ts-ignore: decorator
@inline
function chunkRows(g: ConvShape): i32 {
  return g.pointwise ? g.OH : max(1, min(g.OH, CHUNK_PIXELS / g.OW));
}

// @ts-ignore: decorator
@inline
function roundUp(x: i32, m: i32): i32 {
  return (x + m - 1) / m * m;
}

// Whether the direct kernels can serve this geometry at all (either build may take them).
// @ts-ignore: decorator
@inline
function directFits(g: ConvShape): bool {
  return g.sw == 1 && !g.pointwise;
}

// Whether the forward pass takes the direct kernels in this build.
// @ts-ignore: decorator
@inline
function goesDirect(g: ConvShape): bool {
  return directFits(g) && g.Cg <= DIRECT_MAX_CHANNELS;
}

// Whether the gradients take the direct kernels in this build: as the forward pass, except for one
// image beyond 16 channels, where the general path splits the image across threads.
// @ts-ignore: decorator
@inline
function gradientsGoDirect(g: ConvShape): bool {
  return goesDirect(g) && (g.Cg <= FEW_CHANNELS || g.N > 1);
}

// One channel in and out per group, stride 1 and dilation 1 along H (a depthwise layer): the forward
// pass takes the two-row tiles of conv2dDepthwiseForward, the input gradient the same tiles (it is a
// depthwise convolution itself, of the padded output gradient with the kernel turned by 180°) and the
// weight gradient conv2dDepthwiseWeightGrad, all over exact row or channel ranges.
// @ts-ignore: decorator
@inline
function goesDepthwise(g: ConvShape): bool {
  return directFits(g) && g.Cg == 1 && g.Kg == 1 && g.sh == 1 && g.dh == 1;
}

// A depthwise 3×3 layer with padding 1 on planes of whole vectors (W a multiple of 4) reads its planes in
// place (conv2dDepthwise3x3p1Forward), forward and for the input gradient, with no padded copy: the copy
// took ~40 % of 8×128×16×16's forward pass.
// @ts-ignore: decorator
@inline
function depthwiseInPlace(g: ConvShape): bool {
  return goesDepthwise(g) && g.R == 3 && g.S == 3 && g.ph == 1 && g.pw == 1 && g.dw == 1 && g.W % 4 == 0;
}

// Rows of the padded planes the direct kernels read or write: every row some output row's taps reach.
// @ts-ignore: decorator
@inline
function planeRows(g: ConvShape): i32 {
  return (g.OH - 1) * g.sh + (g.R - 1) * g.dh + 1;
}

// Floats of cin padded planes of `width` columns, with slack, rounded up to whole v128s.
// @ts-ignore: decorator
@inline
function planeFloats(g: ConvShape, cin: i32, width: i32): i32 {
  return roundUp(cin * planeRows(g) * width + PLANE_SLACK, 4);
}

// Column widths of the planes: forward and the weight gradient read OW columns, the input gradient
// writes OW rounded up to 8.
// @ts-ignore: decorator
@inline
function planeWidth(g: ConvShape, columns: i32): i32 {
  return columns + (g.S - 1) * g.dw;
}

// Scratch floats of each path (the layouts below allocate in this order).
function generalFloats(g: ConvShape): f64 {
  return <f64>g.CRS * chunkRows(g) * g.OW + <f64>g.CRS * g.Kg;
}

function directForwardFloats(g: ConvShape): f64 {
  return <f64>planeFloats(g, g.Cg, planeWidth(g, g.OW)) + <f64>roundUp(g.Kg, 4) * g.CRS;
}

function directInputGradFloats(g: ConvShape): f64 {
  const OW8 = roundUp(g.OW, 8);
  return <f64>planeFloats(g, g.Cg, planeWidth(g, OW8)) + <f64>g.Kg * g.OH * OW8 + <f64>roundUp(g.CRS, 4) * (g.Kg + 1);
}

function directWeightGradFloats(g: ConvShape): f64 {
  return <f64>planeFloats(g, g.Cg, planeWidth(g, g.OW)) + <f64>roundUp(g.Kg, 8) * g.P + g.CRS;
}

// The depthwise input gradient: the output gradient padded to [H + R − 1, W + (S − 1)·dw] with
// slack, then the turned kernel.
function depthwiseInputGradFloats(g: ConvShape): f64 {
  return <f64>roundUp((g.H + g.R - 1) * depthwiseGradWidth(g) + PLANE_SLACK, 4) + g.R * g.S;
}

// @ts-ignore: decorator
@inline
function depthwiseGradWidth(g: ConvShape): i32 {
  return g.W + (g.S - 1) * g.dw;
}

/**
 * Bytes of workspace any of the three conv2d kernels of either build needs for this geometry (the
 * bindings ask the portable module): a header, the GEMM workspace, then room for the im2col matrix
 * [Cg·R·S, OH·OW] and dWᵀ [Cg·R·S, Kg], or for the direct kernels' padded planes and packed operands.
 * A float, since large geometries pass 2³¹.
 */
export function conv2dWorkspaceBytes(
  C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): f64 {
  // The record lives on the heap, not in static data: every instance over a shared memory rewrites
  // the static data when it is created (only the allocating thread calls this function).
  const record = heap.alloc(SHAPE_BYTES);
  const g = describe(record, 0, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  let floats = generalFloats(g);
  if (directFits(g)) {
    floats = Math.max(floats, Math.max(directForwardFloats(g), Math.max(directInputGradFloats(g), directWeightGradFloats(g))));
  }
  if (goesDepthwise(g)) floats = Math.max(floats, depthwiseInputGradFloats(g));
  const bytes = <f64>(g.scratch - record) + 4 * floats;
  heap.free(record);
  return bytes;
}

/**
 * Forward: out[n, k, oh, ow] = bias[k] + Σ_{c∈group(k), r, s} weight[k, c − g·Cg, r, s] · inp[n, c, ih, iw],
 * ih = oh·sh + r·dh − ph, iw = ow·sw + s·dw − pw (zero outside the input), for the output rows
 * n·OH + oh in [rowStart, rowEnd); then max(out, 0) as unaryForward's ReLU when `relu` is 1.
 *   out [N, K, OH, OW]; inp [N, C, H, W]; weight [K, C/groups, R, S]; bias [K] or 0 for none.
 */
export function conv2dForward(
  out: usize, inp: usize, weight: usize, bias: usize, relu: i32,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  rowStart: i32, rowEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  rowEnd = min(rowEnd, N * g.OH);
  if (goesDepthwise(g)) {
    const Hp = planeRows(g);
    const Wp = planeWidth(g, g.OW);
    const inPlace = depthwiseInPlace(g);
    if (inPlace) memory.fill(g.scratch, 0, <usize>W << 2); // the zero row above and below the planes
    // Images outer, channels inner: input and output planes in memory order (8×128×16×16: 235 → 221 µs).
    for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
      const ohStart = max(0, rowStart - n * g.OH);
      const ohEnd = min(g.OH, rowEnd - n * g.OH);
      for (let c = 0; c < C; c++) {
        const bc = bias ? bias + (<usize>c << 2) : 0;
        if (inPlace) {
          conv2dDepthwise3x3p1Forward(outputAt(g, out, n, c), inputAt(g, inp, n, c), weightAt(g, weight, c), bc, H, W, g.scratch, ohStart, ohEnd);
        } else {
          padPlanesF32(g.scratch, inputAt(g, inp, n, c), 1, H, W, Hp, Wp, ph, pw);
          conv2dDepthwiseForward(outputAt(g, out, n, c), g.scratch, weightAt(g, weight, c), bc, Wp, R, S, dw, g.OW, ohStart, ohEnd);
        }
        if (relu) reluRows(g, outputAt(g, out, n, c), 1, ohStart, ohEnd);
      }
    }
    return;
  }
  if (goesDirect(g)) {
    const Hp = planeRows(g);
    const Wp = planeWidth(g, g.OW);
    const planes = g.scratch;
    const packed = planes + (<usize>planeFloats(g, g.Cg, Wp) << 2);
    for (let grp = 0; grp < groups; grp++) {
      packForwardWeights(packed, weightAt(g, weight, grp), g.Kg, g.Cg, R * S);
      const bg = bias ? bias + (<usize>grp * g.Kg << 2) : 0;
      for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
        const ohStart = max(0, rowStart - n * g.OH);
        const ohEnd = min(g.OH, rowEnd - n * g.OH);
        padPlanesF32(planes, inputAt(g, inp, n, grp), g.Cg, H, W, Hp, Wp, ph, pw);
        conv2dDirectForward(outputAt(g, out, n, grp), planes, packed, bg, g.Cg, Hp, Wp, R, S, sh, dh, dw, g.Kg, g.OH, g.OW, ohStart, ohEnd);
        if (relu) reluRows(g, outputAt(g, out, n, grp), g.Kg, ohStart, ohEnd);
      }
    }
    return;
  }
  const rows = chunkRows(g);
  // The GEMM's tile from the whole chunk's shape, not from this range's share of it.
  const tile = gemmTile(g.Kg, rows * g.OW);
  for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
    const ohStart = max(0, rowStart - n * g.OH);
    const ohEnd = min(g.OH, rowEnd - n * g.OH);
    for (let grp = 0; grp < groups; grp++) {
      const src = inputAt(g, inp, n, grp);
      for (let oh0 = ohStart; oh0 < ohEnd; oh0 += rows) {
        const oh1 = min(ohEnd, oh0 + rows);
        const cols = (oh1 - oh0) * g.OW;
        // The column matrix [CRS, cols]: im2col's, or the input planes themselves for 1×1 (row stride P).
        let col = src + (<usize>(oh0 * g.OW) << 2);
        let ldb = g.P;
        if (!g.pointwise) {
          im2colF32(g.scratch, src, g.Cg, H, W, R, S, sh, sw, ph, pw, dh, dw, oh0, oh1, g.OW);
          col = g.scratch;
          ldb = cols;
        }
        gemmTiled(
          outputAt(g, out, n, grp) + (<usize>(oh0 * g.OW) << 2), weightAt(g, weight, grp), col,
          bias ? bias + (<usize>grp * g.Kg << 2) : 0,
          g.Kg, cols, g.CRS, g.CRS, ldb, g.P, bias ? GEMM_BIAS_ROW : 0, 0, g.Kg, g.gemmWork, tile,
        );
        if (relu) reluRows(g, outputAt(g, out, n, grp), g.Kg, oh0, oh1);
      }
    }
  }
}

/**
 * conv2dForward's fused ReLU: output rows [oh0, oh1) of `channels` planes from `first`, in place, just
 * after the kernel wrote them (still in cache, where a separate pass over a batch's output would
 * stream it from memory twice more). unaryForward's ReLU functions, so the bits equal conv then relu.
 */
function reluRows(g: ConvShape, first: usize, channels: i32, oh0: i32, oh1: i32): void {
  const start = <usize>(oh0 * g.OW) << 2;
  const end = <usize>(oh1 * g.OW) << 2;
  for (let k = 0; k < channels; k++) {
    const plane = first + (<usize>k * g.P << 2);
    let o = start;
    for (; o + 16 <= end; o += 16) v128.store(plane + o, reluF32x4(v128.load(plane + o)));
    for (; o < end; o += 4) store<f32>(plane + o, reluF32(load<f32>(plane + o)));
  }
}

/**
 * Backward to the input: dInp[n, c, ih, iw] = Σ over every (k, r, s, oh, ow) whose tap reads (ih, iw)
 * of weight[k, c − g·Cg, r, s] · dOut[n, k, oh, ow], for the input channels n·C + c in
 * [chanStart, chanEnd) of the batch (the general path computes exactly those channels, so one image
 * can be split; the direct path the whole images whose first channel lies in the range).
 * Overwrites dInp there.
 *   dInp [N, C, H, W]; dOut [N, K, OH, OW]; weight [K, C/groups, R, S].
 */
export function conv2dBackwardInput(
  dInp: usize, dOut: usize, weight: usize,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  chanStart: i32, chanEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  chanEnd = min(chanEnd, N * C);
  if (goesDepthwise(g)) {
    // dInp[ih, iw] = Σ_{r, s} turned[r, s] · dyPadded[ih + r, iw + s·dw], turned[r, s] =
    // weight[R − 1 − r, S − 1 − s], dy padded by R − 1 − ph rows and (S − 1)·dw − pw columns (a
    // crop where negative).
    const Wq = depthwiseGradWidth(g);
    const plane = g.scratch;
    const turned = plane + (<usize>roundUp((H + R - 1) * Wq + PLANE_SLACK, 4) << 2);
    const inPlace = depthwiseInPlace(g); // 3×3, padding 1: dOut is [H, W], padded by 1 on every side
    if (inPlace) memory.fill(plane, 0, <usize>W << 2);
    for (let ch = chanStart; ch < chanEnd; ch++) {
      const c = ch % C; // the group
      const w = weightAt(g, weight, c);
      for (let t = 0; t < R * S; t++) store<f32>(turned + (<usize>t << 2), load<f32>(w + (<usize>(R * S - 1 - t) << 2)));
      const dy = dOut + (<usize>ch * g.P << 2);
      if (inPlace) {
        conv2dDepthwise3x3p1Forward(dInp + (<usize>ch * H * W << 2), dy, turned, 0, H, W, plane, 0, H);
        continue;
      }
      padPlanesF32(plane, dy, 1, g.OH, g.OW, H + R - 1, Wq, R - 1 - ph, (S - 1) * dw - pw);
      conv2dDepthwiseForward(dInp + (<usize>ch * H * W << 2), plane, turned, 0, Wq, R, S, dw, W, 0, H);
    }
    return;
  }
  if (gradientsGoDirect(g)) {
    const nStart = (chanStart + C - 1) / C;
    const nEnd = (chanEnd + C - 1) / C;
    // The gradient accumulates in padded planes (rows and columns of the padded input), then the
    // interior is copied out: contributions to the padding are dropped.
    const Hp = planeRows(g);
    const OW8 = roundUp(g.OW, 8);
    const Wp = planeWidth(g, OW8);
    const planeBytes = <usize>planeFloats(g, g.Cg, Wp) << 2;
    const acc = g.scratch;
    const dy = acc + planeBytes;
    const packed = dy + (<usize>g.Kg * g.OH * OW8 << 2);
    const tapOffsets = packed + (<usize>roundUp(g.CRS, 4) * g.Kg << 2);
    writeTapOffsets(tapOffsets, g.Cg, R, S, Hp, Wp, dh, dw, true);
    for (let grp = 0; grp < groups; grp++) {
      packInputGradTaps(packed, weightAt(g, weight, grp), g.Cg, R, S, g.Kg);
      for (let n = nStart; n < nEnd; n++) {
        memory.fill(acc, 0, planeBytes);
        let dyn = outputAt(g, dOut, n, grp);
        if (OW8 != g.OW) {
          padPlanesF32(dy, dyn, g.Kg, g.OH, g.OW, g.OH, OW8, 0, 0);
          dyn = dy;
        }
        conv2dDirectInputGrad(acc, dyn, packed, tapOffsets, g.CRS, Wp, sh, g.Kg, g.OH, OW8);
        padPlanesF32(inputAt(g, dInp, n, grp), acc, g.Cg, Hp, Wp, H, W, -ph, -pw);
      }
    }
    return;
  }
  // General path, per image and group: the channels' rows of W_gᵀ·dOut (rows (c, r, s) of the column
  // matrix), then col2im of those channels alone (other channels' planes are never touched).
  const rows = chunkRows(g);
  const RS = R * S;
  for (let n = chanStart / C; n * C < chanEnd; n++) {
    const cFrom = max(0, chanStart - n * C);
    const cTo = min(C, chanEnd - n * C);
    if (!g.pointwise) memory.fill(inputAt(g, dInp, n, 0) + (<usize>cFrom * H * W << 2), 0, <usize>(cTo - cFrom) * H * W << 2);
    for (let grp = cFrom / g.Cg; grp * g.Cg < cTo; grp++) {
      const c0 = max(cFrom - grp * g.Cg, 0); // channels [c0, c1) of the group
      const c1 = min(cTo - grp * g.Cg, g.Cg);
      const dst = inputAt(g, dInp, n, grp) + (<usize>c0 * H * W << 2);
      const wg = weightAt(g, weight, grp);
      for (let oh0 = 0; oh0 < g.OH; oh0 += rows) {
        const oh1 = min(g.OH, oh0 + rows);
        const cols = (oh1 - oh0) * g.OW;
        const dy = outputAt(g, dOut, n, grp) + (<usize>(oh0 * g.OW) << 2);
        if (g.pointwise) {
          gemm(inputAt(g, dInp, n, grp), wg, dy, 0, g.Cg, g.P, g.Kg, g.CRS, g.P, g.P, GEMM_TRANS_A, c0, c1, g.gemmWork);
        } else {
          gemm(g.scratch, wg, dy, 0, g.CRS, cols, g.Kg, g.CRS, g.P, cols, GEMM_TRANS_A, c0 * RS, c1 * RS, g.gemmWork);
          col2imAddF32(dst, g.scratch + (<usize>c0 * RS * cols << 2), c1 - c0, H, W, R, S, sh, sw, ph, pw, dh, dw, oh0, oh1, g.OW);
        }
      }
    }
  }
}

/**
 * Backward to the weight and bias over the output rows n·OH + oh in [rowStart, rowEnd) of the batch
 * (the general path exactly those rows; the direct path the whole images whose first row is in range).
 * Overwrites both; zeros for an empty range.
 *   dWeight[k, c, r, s] = Σ_{n, oh, ow} dOut[n, k, oh, ow] · inp[n, g·Cg + c, ih, iw];
 *   dBias[k] = Σ_{n, oh, ow} dOut[n, k, oh, ow] (dBias = 0: not wanted).
 *   dWeight [K, C/groups, R, S]; dBias [K]; dOut [N, K, OH, OW]; inp [N, C, H, W].
 */
export function conv2dBackwardWeight(
  dWeight: usize, dBias: usize, dOut: usize, inp: usize,
  N: i32, C: i32, H: i32, W: i32, K: i32, R: i32, S: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
  rowStart: i32, rowEnd: i32, work: usize,
): void {
  const g = describe(work, N, C, H, W, K, R, S, sh, sw, ph, pw, dh, dw, groups);
  rowEnd = min(rowEnd, N * g.OH);
  const CRS = g.CRS;
  const Kg = g.Kg;
  if (goesDepthwise(g)) {
    memory.fill(dWeight, 0, <usize>K * CRS << 2);
    const Hp = planeRows(g);
    const Wp = planeWidth(g, g.OW);
    for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
      const ohStart = max(0, rowStart - n * g.OH);
      const ohEnd = min(g.OH, rowEnd - n * g.OH);
      for (let c = 0; c < C; c++) {
        padPlanesF32(g.scratch, inputAt(g, inp, n, c), 1, H, W, Hp, Wp, ph, pw);
        conv2dDepthwiseWeightGrad(weightAt(g, dWeight, c), outputAt(g, dOut, n, c), g.scratch, Wp, R, S, dw, g.OW, ohStart, ohEnd);
      }
    }
  } else if (gradientsGoDirect(g)) {
    // Whole images: widen the range to the images whose first row lies in it.
    rowStart = (rowStart + g.OH - 1) / g.OH * g.OH;
    rowEnd = (rowEnd + g.OH - 1) / g.OH * g.OH;
    memory.fill(dWeight, 0, <usize>K * CRS << 2);
    const Hp = planeRows(g);
    const Wp = planeWidth(g, g.OW);
    const planes = g.scratch;
    const dyT = planes + (<usize>planeFloats(g, g.Cg, Wp) << 2);
    const tapOffsets = dyT + (<usize>roundUp(Kg, 8) * g.P << 2);
    writeTapOffsets(tapOffsets, g.Cg, R, S, Hp, Wp, dh, dw, false);
    for (let grp = 0; grp < groups; grp++) {
      for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
        padPlanesF32(planes, inputAt(g, inp, n, grp), g.Cg, H, W, Hp, Wp, ph, pw);
        packGradPanels8(dyT, outputAt(g, dOut, n, grp), Kg, g.P);
        conv2dDirectWeightGrad(weightAt(g, dWeight, grp), planes, dyT, tapOffsets, CRS, Wp, sh, Kg, g.OH, g.OW);
      }
    }
  } else {
    const rows = chunkRows(g);
    const dWT = g.pointwise ? g.scratch : g.scratch + (<usize>CRS * rows * g.OW << 2); // [CRS, Kg]
    for (let grp = 0; grp < groups; grp++) {
      const dwg = weightAt(g, dWeight, grp);
      if (rowStart >= rowEnd) {
        memory.fill(dwg, 0, <usize>Kg * CRS << 2);
        continue;
      }
      let first = true;
      for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
        const src = inputAt(g, inp, n, grp);
        const ohEnd = min(g.OH, rowEnd - n * g.OH);
        for (let oh0 = max(0, rowStart - n * g.OH); oh0 < ohEnd; oh0 += rows) {
          const oh1 = min(ohEnd, oh0 + rows);
          const cols = (oh1 - oh0) * g.OW;
          // The column matrix [CRS, cols]: im2col's, or the input planes themselves for 1×1 (row stride P).
          let col = src + (<usize>(oh0 * g.OW) << 2);
          let lda = g.P;
          if (!g.pointwise) {
            im2colF32(g.scratch, src, g.Cg, H, W, R, S, sh, sw, ph, pw, dh, dw, oh0, oh1, g.OW);
            col = g.scratch;
            lda = cols;
          }
          const dy = outputAt(g, dOut, n, grp) + (<usize>(oh0 * g.OW) << 2);
          gemm(dWT, col, dy, 0, CRS, Kg, cols, lda, g.P, Kg, GEMM_TRANS_B | (first ? 0 : GEMM_ACCUMULATE), 0, CRS, g.gemmWork);
          first = false;
        }
      }
      for (let k = 0; k < Kg; k++) {
        for (let t = 0; t < CRS; t++) {
          store<f32>(dwg + (<usize>(k * CRS + t) << 2), load<f32>(dWT + (<usize>(t * Kg + k) << 2)));
        }
      }
    }
  }

  if (!dBias) return;
  for (let k = 0; k < K; k++) {
    let sum: f32 = 0;
    for (let n = rowStart / g.OH; n * g.OH < rowEnd; n++) {
      const oh0 = max(0, rowStart - n * g.OH);
      const oh1 = min(g.OH, rowEnd - n * g.OH);
      sum += sumContiguous(dOut + ((<usize>(n * K + k) * g.P + oh0 * g.OW) << 2), (oh1 - oh0) * g.OW);
    }
    store<f32>(dBias + (<usize>k << 2), sum);
  }
}

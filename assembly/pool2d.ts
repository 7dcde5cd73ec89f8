// f32 2-D max and average pooling, forward and backward, wasm SIMD, with PyTorch's semantics.
//
// Every function works on planes [planeStart, planeEnd) of an NCHW tensor seen as P = N·C planes,
// so one call can be split across workers:
//   inp, dInp: [P, H, W] row-major;  out, dOut: [P, outH, outW] row-major;
//   window kH×kW, stride sH, sW, padding pH, pW with 0 ≤ p ≤ k/2 and k ≤ H + 2p (no window is empty);
//   outH = floor((H + 2·pH − kH) / sH) + 1, outW likewise.
// Max pooling pads with −∞; its argmax is the first maximum in row-major window order, and a NaN
// always counts as the maximum (PyTorch's `v > m || isnan(v)`, so the last NaN wins). Average pooling
// pads with zeros and divides by kH·kW (count_include_pad). Backward passes overwrite dInp.
//
// Padding rows are skipped by clipping the window's rows, so only columns need edge handling. The
// micro-kernels work along the contiguous axis (an output row), four outputs per v128:
//   2x2s2: 2×2 windows, stride 2, no padding: 8 inputs from each of two rows give 4 outputs, the
//          even and odd columns split apart with shuffles; NaN tracked in the lanes.
//   s1:    stride 1 along W, any kernel: 4 adjacent outputs read 4 adjacent inputs per tap.
//   s2:    stride 2 along W, any kernel: rows stored deinterleaved (even columns, then odd ones) in
//          the scratch plane, so each tap is again 4 contiguous inputs.
//   scalar: strides above 2, rows of fewer than 4 outputs, and max pooling of planes holding a NaN.
// The s1/s2 paths of forward and max backward first copy the input plane into a scratch plane with
// its padding columns filled in (−∞ or 0), so every output of a row is SIMD; a row's last partial
// group is a full group ending at the last output, overlapping the group before (forward rewrites the
// same values, max backward scatters only the new lanes). Full 2×2 and 3×3 windows get straight-line
// copies. Max backward's SIMD argmax keeps, per lane, the offset of the tap that last beat the maximum.
// Avg backward s1/s2 accumulates into a zeroed scratch plane of the same layout, then copies it out.
// Max pooling's s1/s2 kernels use f32x4.pmax (a strict "greater replaces", no NaN handling): a plane
// holding a NaN goes to the scalar path, which applies PyTorch's rule verbatim.
// Every output element is computed in the same order as PyTorch's CPU kernels (window row-major; in
// backward, contributions to an input element in output order), so results match them bit for bit.


import { reluGradF32, reluGradF32x4 } from './activations';
// ---------------------------------------------------------------------------------------------
// Operators (the exports)

/** out = max over each window of inp (see the header for shapes). */
export function f32MaxPool2dForward(
  out: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32, work: usize,
): void {
  pool2d(MAX_FORWARD, out, inp, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd, work, 0);
}

/** out = (sum over each window of inp) / (kH·kW). */
export function f32AvgPool2dForward(
  out: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32, work: usize,
): void {
  pool2d(AVG_FORWARD, out, inp, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd, work, 0);
}

/**
 * dInp = dOut routed to each window's argmax, recomputed from inp (overlapping windows accumulate).
 * With reluMask = 1, inp is a ReLU's output y and dInp goes on through that ReLU too: 0 wherever
 * y ≤ 0, with unaryBackward's ReLU functions (the bits of max-pool backward then relu backward), each
 * plane while it is in cache.
 */
export function f32MaxPool2dBackward(
  dInp: usize, dOut: usize, inp: usize, reluMask: i32, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32, work: usize,
): void {
  pool2d(MAX_BACKWARD, dInp, dOut, inp, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd, work, reluMask);
}

/** dInp = Σ over the windows holding each element of dOut / (kH·kW) (overlapping windows accumulate). */
export function f32AvgPool2dBackward(
  dInp: usize, dOut: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32, work: usize,
): void {
  pool2d(AVG_BACKWARD, dInp, dOut, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd, work, 0);
}

/**
 * Bytes of scratch every pooling call needs (`work`): one plane with pW columns of padding on each
 * side and a little slack, W + 2·pW + 4 floats a row, and one more row. Each caller, e.g. each
 * worker, passes its own.
 */
export function pool2dWorkspaceBytes(H: i32, W: i32, pW: i32): i32 {
  return (H + 1) * (W + 2 * pW + 4) << 2;
}

const MAX_FORWARD = 0;
const AVG_FORWARD = 1;
const MAX_BACKWARD = 2;
const AVG_BACKWARD = 3;

// The frame shared by the four operators (op is a constant at each call, so each export compiles to
// its own loop): per plane, poolPlane, then for max backward through a ReLU (reluMask, see
// f32MaxPool2dBackward) the ReLU's gradient over the plane while it is in cache.
// dst, src: out and inp (forward) or dInp and dOut (backward); inp: the input, for max backward;
// work: the scratch plane.
// @ts-ignore: decorator
@inline
function pool2d(
  op: i32, dst: usize, src: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32, work: usize, reluMask: i32,
): void {
  const forward = op == MAX_FORWARD || op == AVG_FORWARD;
  const planeIn = <usize>H * W << 2;
  const planeOut = <usize>outH * outW << 2;
  const is2x2s2 = kH == 2 && kW == 2 && sH == 2 && sW == 2 && pH == 0 && pW == 0;
  const divisor = <f32>(kH * kW);
  for (let p = planeStart; p < planeEnd; p++) {
    const d = dst + <usize>p * (forward ? planeOut : planeIn);
    const s = src + <usize>p * (forward ? planeIn : planeOut);
    const x = inp + <usize>p * planeIn;
    poolPlane(op, d, s, x, H, W, kH, kW, sH, sW, pH, pW, outH, outW, work, is2x2s2, divisor);
    if (!reluMask) continue;
    let o: usize = 0;
    for (; o + 16 <= planeIn; o += 16) v128.store(d + o, reluGradF32x4(v128.load(d + o), v128.load(x + o)));
    for (; o < planeIn; o += 4) store<f32>(d + o, reluGradF32(load<f32>(d + o), load<f32>(x + o)));
  }
}

// One plane of pool2d: the 2x2s2 micro-kernel when it applies, else one output row at a time.
// @ts-ignore: decorator
@inline
function poolPlane(
  op: i32, d: usize, s: usize, x: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, work: usize, is2x2s2: bool, divisor: f32,
): void {
  const forward = op == MAX_FORWARD || op == AVG_FORWARD;
  const planeIn = <usize>H * W << 2;
  if (is2x2s2) {
    if (op == MAX_FORWARD) pool2dForward2x2s2(true, d, s, W, outH, outW);
    else if (op == AVG_FORWARD) pool2dForward2x2s2(false, d, s, W, outH, outW);
    else if (op == MAX_BACKWARD) maxPool2dBackward2x2s2(d, s, x, H, W, outH, outW);
    else avgPool2dBackward2x2s2(d, s, H, W, outH, outW);
    return;
  }
  // SIMD path: the input plane is first copied into `work` with its padding columns filled in
  // (rows of Wp floats; for stride 2 deinterleaved, even columns then odd ones, half = Wp/2 each);
  // avg backward accumulates into a zeroed plane of that layout instead and copies it out last.
  // NaN in a max-pooling plane: every window of the plane takes PyTorch's scalar rule instead.
  const Wp = sW == 1 ? W + 2 * pW + 1 : ((W + 2 * pW + 1) >> 1) + 1 << 1;
  const half = <usize>(Wp >> 1) << 2;
  const shares = work + (<usize>(H * Wp) << 2); // avg backward: one row of dOut / (kH·kW)
  let nanRule = false;
  let simd = sW <= 2 && outW >= 4;
  if (simd && op == AVG_BACKWARD) {
    memory.fill(work, 0, <usize>(H * Wp) << 2);
  } else if (simd) {
    const plane = forward ? s : x;
    if (sW == 1) nanRule = op == AVG_FORWARD ? padPlane(false, work, plane, H, W, pW, Wp) : padPlane(true, work, plane, H, W, pW, Wp);
    else nanRule = op == AVG_FORWARD ? padPlaneS2(false, work, plane, H, W, pW, Wp) : padPlaneS2(true, work, plane, H, W, pW, Wp);
    simd = !nanRule;
  } else if (op == MAX_FORWARD || op == MAX_BACKWARD) {
    nanRule = hasNaN(op == MAX_FORWARD ? s : x, H * W);
  }
  if (!forward && !(simd && op == AVG_BACKWARD)) memory.fill(d, 0, planeIn);
  for (let oy = 0; oy < outH; oy++) {
    const iy0 = oy * sH - pH;
    const ky0 = max(0, -iy0);
    const ky1 = min(kH, H - iy0);
    const outRow = <usize>oy * outW << 2;
    if (simd && op == MAX_FORWARD) {
      pool2dForwardRow(true, d + outRow, work, Wp, half, iy0, ky0, ky1, kW, sW, outW, divisor);
    } else if (simd && op == AVG_FORWARD) {
      pool2dForwardRow(false, d + outRow, work, Wp, half, iy0, ky0, ky1, kW, sW, outW, divisor);
    } else if (simd && op == MAX_BACKWARD) {
      maxPool2dBackwardRow(d, s + outRow, work, Wp, half, W, iy0, ky0, ky1, kW, sW, pW, outW);
    } else if (simd) {
      avgPool2dBackwardRow(work, s + outRow, shares, Wp, half, iy0, ky0, ky1, kW, sW, outW, divisor);
    } else if (op == AVG_BACKWARD) {
      avgPool2dBackwardRowScalar(d, s + outRow, W, iy0, ky0, ky1, kW, sW, pW, outW, divisor);
    } else {
      // Scalar path, one output at a time.
      for (let ox = 0; ox < outW; ox++) {
        if (op == MAX_BACKWARD) scatterArgmaxScalar(nanRule, d, s + outRow, x, W, iy0, ky0, ky1, ox, sW, pW, kW);
        else {
          const value = op == MAX_FORWARD
            ? poolScalar(true, nanRule, s, W, iy0, ky0, ky1, ox * sW - pW, kW, divisor)
            : poolScalar(false, false, s, W, iy0, ky0, ky1, ox * sW - pW, kW, divisor);
          store<f32>(d + outRow + (<usize>ox << 2), value);
        }
      }
    }
  }
  if (simd && op == AVG_BACKWARD) {
    if (sW == 1) unpadPlane(d, work, H, W, pW, Wp);
    else unpadPlaneS2(d, work, H, W, pW, Wp);
  }
}

// Whether any of the n floats at p is NaN.
function hasNaN(p: usize, n: i32): bool {
  let nan = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  let any = v128.any_true(nan);
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    any |= v != v;
  }
  return any;
}

// ---------------------------------------------------------------------------------------------
// Forward

// The reduction's starting value in four lanes: −∞ for max, 0 for avg (PyTorch starts its sums at 0).
// @ts-ignore: decorator
@inline
function start(isMax: bool): v128 {
  return f32x4.splat(isMax ? f32.NEGATIVE_INFINITY : 0);
}

// The reduction of one tap into four lanes: max keeps the first maximum (pmax keeps its first operand
// on ties and on a NaN second operand, so NaNs are handled apart), avg sums.
// @ts-ignore: decorator
@inline
function tap(isMax: bool, acc: v128, v: v128): v128 {
  return isMax ? f32x4.pmax(acc, v) : f32x4.add(acc, v);
}

// The four outputs of a reduction: the maximum as it is, or the sum divided by kH·kW.
// @ts-ignore: decorator
@inline
function finish(isMax: bool, acc: v128, divisor: f32): v128 {
  return isMax ? acc : f32x4.div(acc, f32x4.splat(divisor));
}

// Copies plane x [H, W] into rows of Wp floats at `work`: pW columns of padding (−∞ for max, 0 for
// avg), the row, then padding again up to Wp. Padding taps leave a reduction unchanged (pmax with −∞;
// adding +0 to a sum that starts at +0, which is never −0), so the padded kernels stay exact.
// Returns whether the plane holds a NaN (max only; avg needs no NaN rule).
// @ts-ignore: decorator
@inline
function padPlane(isMax: bool, work: usize, x: usize, H: i32, W: i32, pW: i32, Wp: i32): bool {
  const pad: f32 = isMax ? f32.NEGATIVE_INFINITY : 0;
  let nan = i32x4.splat(0);
  let any = false;
  for (let iy = 0; iy < H; iy++) {
    const dst = work + (<usize>(iy * Wp) << 2);
    const src = x + (<usize>(iy * W) << 2);
    for (let i = 0; i < pW; i++) store<f32>(dst + (<usize>i << 2), pad);
    const row = dst + (<usize>pW << 2);
    let i = 0;
    for (; i + 4 <= W; i += 4) {
      const v = v128.load(src + (<usize>i << 2));
      if (isMax) nan = v128.or(nan, f32x4.ne(v, v));
      v128.store(row + (<usize>i << 2), v);
    }
    for (; i < W; i++) {
      const v = load<f32>(src + (<usize>i << 2));
      any |= v != v;
      store<f32>(row + (<usize>i << 2), v);
    }
    for (let j = pW + W; j < Wp; j++) store<f32>(dst + (<usize>j << 2), pad);
  }
  return isMax && (any || v128.any_true(nan));
}

// The stride-2 layout of the padded plane: each row of Wp floats holds the padded row's even columns
// (Wp/2 floats) then its odd columns, so tap kx of 4 stride-2 outputs is one contiguous load (index
// ox + kx/2 of half kx & 1) instead of two loads and a shuffle per tap pair. The input row is split
// with shuffles 8 floats at a time; real column c is padded column c + pW.
// @ts-ignore: decorator
@inline
function padPlaneS2(isMax: bool, work: usize, x: usize, H: i32, W: i32, pW: i32, Wp: i32): bool {
  const pad: f32 = isMax ? f32.NEGATIVE_INFINITY : 0;
  const hw = Wp >> 1;
  // Real even columns 2m go to index m + (pW >> 1) of half pW & 1; real odd ones 2m+1 to index
  // m + ((pW + 1) >> 1) of the other half.
  const evenHalf = <usize>((pW & 1) * hw) << 2;
  const oddHalf = <usize>((1 - (pW & 1)) * hw) << 2;
  const evenStart = pW >> 1;
  const oddStart = (pW + 1) >> 1;
  let nan = i32x4.splat(0);
  let any = false;
  for (let iy = 0; iy < H; iy++) {
    const row = work + (<usize>(iy * Wp) << 2);
    const src = x + (<usize>(iy * W) << 2);
    const evens = row + evenHalf + (<usize>evenStart << 2);
    const odds = row + oddHalf + (<usize>oddStart << 2);
    let c = 0;
    for (; c + 8 <= W; c += 8) {
      const a = v128.load(src + (<usize>c << 2));
      const b = v128.load(src + (<usize>c << 2), 16);
      if (isMax) nan = v128.or(nan, v128.or(f32x4.ne(a, a), f32x4.ne(b, b)));
      v128.store(evens + (<usize>c << 1), v128.shuffle<f32>(a, b, 0, 2, 4, 6));
      v128.store(odds + (<usize>c << 1), v128.shuffle<f32>(a, b, 1, 3, 5, 7));
    }
    for (; c < W; c++) {
      const v = load<f32>(src + (<usize>c << 2));
      any |= v != v;
      store<f32>((c & 1 ? odds : evens) + (<usize>(c >> 1) << 2), v);
    }
    for (let i = 0; i < evenStart; i++) store<f32>(row + evenHalf + (<usize>i << 2), pad);
    for (let i = evenStart + ((W + 1) >> 1); i < hw; i++) store<f32>(row + evenHalf + (<usize>i << 2), pad);
    for (let i = 0; i < oddStart; i++) store<f32>(row + oddHalf + (<usize>i << 2), pad);
    for (let i = oddStart + (W >> 1); i < hw; i++) store<f32>(row + oddHalf + (<usize>i << 2), pad);
  }
  return isMax && (any || v128.any_true(nan));
}

// One output row (outW ≥ 4) from the padded plane (rows of Wp floats): window rows [iy0+ky0, iy0+ky1),
// groups of 4 outputs, the last group ending at the last output (overlapping the one before when outW
// is not a multiple of 4). Every load stays inside its padded row.
// @ts-ignore: decorator
@inline
function pool2dForwardRow(isMax: bool, o: usize, padded: usize, Wp: i32, half: usize, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, outW: i32, divisor: f32): void {
  // Specialised copies for full 2×2 and 3×3 windows, so their taps compile to straight-line code;
  // rows = 0 means any number of window rows.
  const rows = ky1 - ky0;
  if (sW == 1 && kW == 2 && rows == 2) forwardGroups(isMax, 1, 2, 2, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
  else if (sW == 1 && kW == 3 && rows == 3) forwardGroups(isMax, 1, 3, 3, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
  else if (sW == 2 && kW == 2 && rows == 2) forwardGroups(isMax, 2, 2, 2, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
  else if (sW == 2 && kW == 3 && rows == 3) forwardGroups(isMax, 2, 3, 3, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
  else if (sW == 1) forwardGroups(isMax, 1, kW, 0, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
  else forwardGroups(isMax, 2, kW, 0, o, padded, Wp, half, iy0, ky0, ky1, outW, divisor);
}

// @ts-ignore: decorator
@inline
function forwardGroups(
  isMax: bool, sW: i32, kW: i32, rows: i32, o: usize, padded: usize, Wp: i32, half: usize, iy0: i32, ky0: i32, ky1: i32, outW: i32, divisor: f32,
): void {
  const rowBytes = <usize>Wp << 2;
  for (let ox = 0; ox < outW; ox += 4) {
    if (ox > outW - 4) ox = outW - 4;
    const r = padded + (<usize>((iy0 + ky0) * Wp + ox) << 2); // the first window row inside the plane
    let acc = start(isMax);
    if (rows == 2) {
      acc = rowTaps(isMax, sW, acc, r, kW, half);
      acc = rowTaps(isMax, sW, acc, r + rowBytes, kW, half);
    } else if (rows == 3) {
      acc = rowTaps(isMax, sW, acc, r, kW, half);
      acc = rowTaps(isMax, sW, acc, r + rowBytes, kW, half);
      acc = rowTaps(isMax, sW, acc, r + 2 * rowBytes, kW, half);
    } else {
      for (let ky = ky0; ky < ky1; ky++) acc = rowTaps(isMax, sW, acc, r + <usize>(ky - ky0) * rowBytes, kW, half);
    }
    v128.store(o + (<usize>ox << 2), finish(isMax, acc, divisor));
  }
}

// The kW taps of one window row for 4 outputs, in tap order: straight-line code for kW ≤ 4 (a loop's
// overhead would dominate), a loop beyond.
//   f32-maxpool/avgpool-s1-wasmsimd: the windows start at row, row+4, row+8, row+12 (bytes).
//   f32-maxpool/avgpool-s2-wasmsimd: the windows start 2 columns apart, read from a deinterleaved row.
// @ts-ignore: decorator
@inline
function rowTaps(isMax: bool, sW: i32, acc: v128, row: usize, kW: i32, half: usize): v128 {
  if (kW > 4) {
    for (let kx = 0; kx < kW; kx++) acc = tap(isMax, acc, v128.load(tapAt(sW, row, kx, half)));
    return acc;
  }
  acc = tap(isMax, acc, v128.load(tapAt(sW, row, 0, half)));
  if (kW > 1) acc = tap(isMax, acc, v128.load(tapAt(sW, row, 1, half)));
  if (kW > 2) acc = tap(isMax, acc, v128.load(tapAt(sW, row, 2, half)));
  if (kW > 3) acc = tap(isMax, acc, v128.load(tapAt(sW, row, 3, half)));
  return acc;
}

// The address of tap kx for 4 outputs whose window row starts at `row` in the scratch plane: stride
// 1, the 4 floats from column kx; stride 2, the 4 floats from index kx >> 1 of half kx & 1 (the odd
// half starts `half` bytes after the even one).
// @ts-ignore: decorator
@inline
function tapAt(sW: i32, row: usize, kx: i32, half: usize): usize {
  return sW == 1 ? row + (<usize>kx << 2) : row + (kx & 1 ? half : 0) + (<usize>(kx >> 1) << 2);
}

// f32-maxpool/avgpool-2x2s2-wasmsimd over one plane: input rows 2·oy and 2·oy+1 give output row oy.
// @ts-ignore: decorator
@inline
function pool2dForward2x2s2(isMax: bool, o: usize, x: usize, W: i32, outH: i32, outW: i32): void {
  const rowBytes = <usize>W << 2;
  for (let oy = 0; oy < outH; oy++) {
    const r0 = x + (<usize>(2 * oy) * rowBytes);
    const r1 = r0 + rowBytes;
    const orow = o + (<usize>oy * outW << 2);
    if (outW < 4) {
      for (let ox = 0; ox < outW; ox++) store<f32>(orow + (<usize>ox << 2), poolScalar(isMax, true, x, W, 2 * oy, 0, 2, 2 * ox, 2, 4));
      continue;
    }
    for (let ox = 0; ox < outW; ox += 4) {
      if (ox > outW - 4) ox = outW - 4; // the last partial group, overlapping the one before
      const off = <usize>ox << 3;
      const a0 = v128.load(r0 + off), b0 = v128.load(r0 + off, 16);
      const a1 = v128.load(r1 + off), b1 = v128.load(r1 + off, 16);
      // The window's taps in scan order: (0,0), (0,1), (1,0), (1,1).
      const t00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
      const t01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
      const t10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
      const t11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
      let out = finish(isMax, tap(isMax, tap(isMax, tap(isMax, tap(isMax, start(isMax), t00), t01), t10), t11), 4);
      if (isMax) {
        const nan = v128.or(v128.or(f32x4.ne(t00, t00), f32x4.ne(t01, t01)), v128.or(f32x4.ne(t10, t10), f32x4.ne(t11, t11)));
        out = v128.bitselect(f32x4.splat(f32.NaN), out, nan);
      }
      v128.store(orow + (<usize>ox << 2), out);
    }
  }
}

// Scalar path: one window at column ix0 (which may lie in the padding), rows [iy0+ky0, iy0+ky1).
// Max without nanRule keeps the running maximum in a v128 (pmax: branch-free, no mispredictions).
// @ts-ignore: decorator
@inline
function poolScalar(isMax: bool, nanRule: bool, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32, divisor: f32): f32 {
  const kx0 = max(0, -ix0);
  const kx1 = min(kW, W - ix0);
  let acc: f32 = isMax ? f32.NEGATIVE_INFINITY : 0;
  let accv = start(true);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = (iy0 + ky) * W + ix0;
    for (let kx = kx0; kx < kx1; kx++) {
      const p = x + (<usize>(row + kx) << 2);
      if (!isMax) acc += load<f32>(p);
      else if (!nanRule) accv = f32x4.pmax(accv, v128.load32_splat(p));
      else {
        const v = load<f32>(p);
        if (v > acc || v != v) acc = v;
      }
    }
  }
  return !isMax ? acc / divisor : nanRule ? acc : f32x4.extract_lane(accv, 0);
}

// ---------------------------------------------------------------------------------------------
// Max backward: the argmax of each window is recomputed from inp (no indices are stored).

// One output row of max backward from the padded plane (rows of Wp floats), outW ≥ 4: dOut[oy, ·]
// added to dInp at each window's argmax, in output order. The last partial group overlaps the one
// before and scatters only its new lanes.
// @ts-ignore: decorator
@inline
function maxPool2dBackwardRow(din: usize, g: usize, padded: usize, Wp: i32, half: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, pW: i32, outW: i32): void {
  // Specialised copies for 2- and 3-wide windows, so their taps compile to straight-line code.
  if (sW == 1 && kW == 2) backwardGroups(1, 2, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
  else if (sW == 1 && kW == 3) backwardGroups(1, 3, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
  else if (sW == 1) backwardGroups(1, kW, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
  else if (kW == 2) backwardGroups(2, 2, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
  else if (kW == 3) backwardGroups(2, 3, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
  else backwardGroups(2, kW, din, g, padded, Wp, half, W, iy0, ky0, ky1, pW, outW);
}

// @ts-ignore: decorator
@inline
function backwardGroups(sW: i32, kW: i32, din: usize, g: usize, padded: usize, Wp: i32, half: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, pW: i32, outW: i32): void {
  const rowBytes = <usize>Wp << 2;
  const laneCols = i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(sW));
  for (let ox = 0; ox < outW; ox += 4) {
    const at = min(ox, outW - 4);
    const r = padded + (<usize>((iy0 + ky0) * Wp + at) << 2); // the first window row inside the plane
    // PyTorch's initial argmax: each window's first element inside the input.
    const firstCol = i32x4.max_s(i32x4.sub(i32x4.splat(pW - at * sW), laneCols), i32x4.splat(0));
    let m = start(true);
    let sel = i32x4.add(i32x4.splat(ky0 * W), firstCol);
    for (let ky = ky0; ky < ky1; ky++) {
      const row = r + <usize>(ky - ky0) * rowBytes;
      const k = ky * W; // tap (ky, kx) is recorded as ky·W + kx: its offset from the window's corner in dInp
      if (kW > 4) {
        for (let kx = 0; kx < kW; kx++) {
          const v = v128.load(tapAt(sW, row, kx, half));
          sel = pick(sel, v, m, k + kx);
          m = f32x4.pmax(m, v);
        }
        continue;
      }
      // Straight-line code for kW ≤ 4 (a loop's overhead would dominate).
      let v = v128.load(tapAt(sW, row, 0, half));
      sel = pick(sel, v, m, k);
      m = f32x4.pmax(m, v);
      if (kW > 1) {
        v = v128.load(tapAt(sW, row, 1, half));
        sel = pick(sel, v, m, k + 1);
        m = f32x4.pmax(m, v);
      }
      if (kW > 2) {
        v = v128.load(tapAt(sW, row, 2, half));
        sel = pick(sel, v, m, k + 2);
        m = f32x4.pmax(m, v);
      }
      if (kW > 3) {
        v = v128.load(tapAt(sW, row, 3, half));
        sel = pick(sel, v, m, k + 3);
        m = f32x4.pmax(m, v);
      }
    }
    scatter4(din, g + (<usize>at << 2), iy0 * W + at * sW - pW, sW, sel, ox - at);
  }
}

// The argmax offsets after tap v (offset k): lanes where v is strictly greater than the running
// maximum m take k (the planes here hold no NaN).
// @ts-ignore: decorator
@inline
function pick(sel: v128, v: v128, m: v128, k: i32): v128 {
  return v128.bitselect(i32x4.splat(k), sel, f32x4.gt(v, m));
}

// dInp[base + lane·step + sel[lane]] += g[lane] for lanes from…3 in order (base: flat index of the
// first window's top-left corner, which may lie in the padding rows).
// @ts-ignore: decorator
@inline
function scatter4(din: usize, g: usize, base: i32, step: i32, sel: v128, from: i32): void {
  if (from <= 0) addAt(din, base + i32x4.extract_lane(sel, 0), load<f32>(g));
  if (from <= 1) addAt(din, base + step + i32x4.extract_lane(sel, 1), load<f32>(g, 4));
  if (from <= 2) addAt(din, base + 2 * step + i32x4.extract_lane(sel, 2), load<f32>(g, 8));
  addAt(din, base + 3 * step + i32x4.extract_lane(sel, 3), load<f32>(g, 12));
}

// @ts-ignore: decorator
@inline
function addAt(p: usize, index: i32, v: f32): void {
  const q = p + (<usize>index << 2);
  store<f32>(q, load<f32>(q) + v);
}

// Scalar path of max backward: output column ox. Without nanRule the argmax is found branch-free
// (a v128 running maximum and a mask-selected index), avoiding a misprediction per new maximum.
function scatterArgmaxScalar(nanRule: bool, din: usize, g: usize, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ox: i32, sW: i32, pW: i32, kW: i32): void {
  const ix0 = ox * sW - pW;
  const kx0 = max(0, -ix0);
  const kx1 = min(kW, W - ix0);
  let best = (iy0 + ky0) * W + ix0 + kx0;
  let m: f32 = f32.NEGATIVE_INFINITY;
  let mv = start(true);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = (iy0 + ky) * W + ix0;
    for (let kx = kx0; kx < kx1; kx++) {
      const p = x + (<usize>(row + kx) << 2);
      if (nanRule) {
        const v = load<f32>(p);
        if (v > m || v != v) {
          m = v;
          best = row + kx;
        }
      } else {
        const v = v128.load32_splat(p);
        const up = i32x4.extract_lane(f32x4.gt(v, mv), 0);
        best = (best & ~up) | ((row + kx) & up);
        mv = f32x4.pmax(mv, v);
      }
    }
  }
  addAt(din, best, load<f32>(g + (<usize>ox << 2)));
}

// The argmax tap (0…3, scan order) of 2×2 windows given as their four taps, PyTorch's rule.
// @ts-ignore: decorator
@inline
function argmax2x2(t00: v128, t01: v128, t10: v128, t11: v128): v128 {
  let m = t00;
  let sel = i32x4.splat(0);
  let up = beats(t01, m);
  m = v128.bitselect(t01, m, up);
  sel = v128.bitselect(i32x4.splat(1), sel, up);
  up = beats(t10, m);
  m = v128.bitselect(t10, m, up);
  sel = v128.bitselect(i32x4.splat(2), sel, up);
  return v128.bitselect(i32x4.splat(3), sel, beats(t11, m));
}

// The lanes where tap v replaces the running maximum m under PyTorch's rule (greater, or NaN).
// @ts-ignore: decorator
@inline
function beats(v: v128, m: v128): v128 {
  return v128.or(f32x4.gt(v, m), f32x4.ne(v, v));
}

// f32-maxpool-backward-2x2s2-wasmsimd over one plane. Windows do not overlap, so each 2×2 block of
// dInp is written once (the gradient at its argmax, zeros elsewhere); a last odd row/column is zeroed.
function maxPool2dBackward2x2s2(din: usize, dout: usize, x: usize, H: i32, W: i32, outH: i32, outW: i32): void {
  const rowBytes = <usize>W << 2;
  for (let oy = 0; oy < outH; oy++) {
    const off0 = <usize>(2 * oy) * rowBytes;
    const x0 = x + off0, x1 = x0 + rowBytes;
    const d0 = din + off0, d1 = d0 + rowBytes;
    const g = dout + (<usize>oy * outW << 2);
    // Blocks are written, not added to, so the last partial group may overlap the one before.
    for (let ox = 0; ox < outW && outW >= 4; ox += 4) {
      if (ox > outW - 4) ox = outW - 4;
      const off = <usize>ox << 3;
      const a0 = v128.load(x0 + off), b0 = v128.load(x0 + off, 16);
      const a1 = v128.load(x1 + off), b1 = v128.load(x1 + off, 16);
      const sel = argmax2x2(
        v128.shuffle<f32>(a0, b0, 0, 2, 4, 6), v128.shuffle<f32>(a0, b0, 1, 3, 5, 7),
        v128.shuffle<f32>(a1, b1, 0, 2, 4, 6), v128.shuffle<f32>(a1, b1, 1, 3, 5, 7),
      );
      const gv = v128.load(g + (<usize>ox << 2));
      const g00 = v128.and(gv, i32x4.eq(sel, i32x4.splat(0)));
      const g01 = v128.and(gv, i32x4.eq(sel, i32x4.splat(1)));
      const g10 = v128.and(gv, i32x4.eq(sel, i32x4.splat(2)));
      const g11 = v128.and(gv, i32x4.eq(sel, i32x4.splat(3)));
      v128.store(d0 + off, v128.shuffle<f32>(g00, g01, 0, 4, 1, 5));
      v128.store(d0 + off, v128.shuffle<f32>(g00, g01, 2, 6, 3, 7), 16);
      v128.store(d1 + off, v128.shuffle<f32>(g10, g11, 0, 4, 1, 5));
      v128.store(d1 + off, v128.shuffle<f32>(g10, g11, 2, 6, 3, 7), 16);
    }
    for (let ox = 0; ox < outW && outW < 4; ox++) {
      const off = <usize>ox << 3;
      store<f32>(d0 + off, 0);
      store<f32>(d0 + off, 0, 4);
      store<f32>(d1 + off, 0);
      store<f32>(d1 + off, 0, 4);
      scatterArgmaxScalar(true, din, g, x, W, 2 * oy, 0, 2, ox, 2, 0, 2);
    }
    zeroTail2x2s2(d0, d1, W, outW);
  }
  zeroLastRow2x2s2(din, H, W, outH);
}

// ---------------------------------------------------------------------------------------------
// Average backward

// One output row of avg backward into the zeroed scratch plane (rows of Wp floats, layout as in
// forward): the shares dOut[oy, ·] / (kH·kW), computed once, added tap by tap over window rows
// [iy0+ky0, iy0+ky1), 4 outputs per v128. Taps go right to left, so each input element receives its
// contributions in output order (PyTorch's); padding columns receive some too, and are dropped.
function avgPool2dBackwardRow(
  padded: usize, g: usize, shares: usize, Wp: i32, half: usize, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, outW: i32, divisor: f32,
): void {
  computeShares(shares, g, outW, divisor);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = padded + (<usize>((iy0 + ky) * Wp) << 2);
    for (let kx = kW - 1; kx >= 0; kx--) {
      let ox = 0;
      for (; ox + 4 <= outW; ox += 4) {
        const p = tapAt(sW, row + (<usize>ox << 2), kx, half);
        v128.store(p, f32x4.add(v128.load(p), v128.load(shares + (<usize>ox << 2))));
      }
      for (; ox < outW; ox++) {
        const p = tapAt(sW, row + (<usize>ox << 2), kx, half);
        store<f32>(p, load<f32>(p) + load<f32>(shares + (<usize>ox << 2)));
      }
    }
  }
}

// shares[ox] = g[ox] / divisor for ox in [0, outW).
// @ts-ignore: decorator
@inline
function computeShares(shares: usize, g: usize, outW: i32, divisor: f32): void {
  const d = f32x4.splat(divisor);
  let ox = 0;
  for (; ox + 4 <= outW; ox += 4) v128.store(shares + (<usize>ox << 2), f32x4.div(v128.load(g + (<usize>ox << 2)), d));
  for (; ox < outW; ox++) store<f32>(shares + (<usize>ox << 2), load<f32>(g + (<usize>ox << 2)) / divisor);
}

// dInp [H, W] = the real columns of the stride-1 scratch plane (padded column c + pW is column c).
function unpadPlane(din: usize, padded: usize, H: i32, W: i32, pW: i32, Wp: i32): void {
  for (let iy = 0; iy < H; iy++) memory.copy(din + (<usize>(iy * W) << 2), padded + (<usize>(iy * Wp + pW) << 2), <usize>W << 2);
}

// dInp [H, W] = the real columns of the deinterleaved stride-2 scratch plane (see padPlaneS2).
function unpadPlaneS2(din: usize, padded: usize, H: i32, W: i32, pW: i32, Wp: i32): void {
  const hw = Wp >> 1;
  const evenHalf = <usize>((pW & 1) * hw) << 2;
  const oddHalf = <usize>((1 - (pW & 1)) * hw) << 2;
  for (let iy = 0; iy < H; iy++) {
    const row = padded + (<usize>(iy * Wp) << 2);
    const dst = din + (<usize>(iy * W) << 2);
    const evens = row + evenHalf + (<usize>(pW >> 1) << 2);
    const odds = row + oddHalf + (<usize>((pW + 1) >> 1) << 2);
    let c = 0;
    for (; c + 8 <= W; c += 8) {
      const e = v128.load(evens + (<usize>c << 1));
      const o = v128.load(odds + (<usize>c << 1));
      v128.store(dst + (<usize>c << 2), v128.shuffle<f32>(e, o, 0, 4, 1, 5));
      v128.store(dst + (<usize>c << 2), v128.shuffle<f32>(e, o, 2, 6, 3, 7), 16);
    }
    for (; c < W; c++) store<f32>(dst + (<usize>c << 2), load<f32>((c & 1 ? odds : evens) + (<usize>(c >> 1) << 2)));
  }
}

// Scalar path of avg backward (strides above 2, rows of fewer than 4 outputs): dInp, zeroed, gets
// dOut[oy, ox] / (kH·kW) added at every element of each window, in PyTorch's order.
function avgPool2dBackwardRowScalar(din: usize, g: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, pW: i32, outW: i32, divisor: f32): void {
  for (let ox = 0; ox < outW; ox++) {
    const share = load<f32>(g + (<usize>ox << 2)) / divisor;
    const ix0 = ox * sW - pW;
    for (let ky = ky0; ky < ky1; ky++) {
      for (let kx = max(0, -ix0), kx1 = min(kW, W - ix0); kx < kx1; kx++) addAt(din, (iy0 + ky) * W + ix0 + kx, share);
    }
  }
}

// f32-avgpool-backward-2x2s2-wasmsimd over one plane: each 2×2 block of dInp is dOut / 4.
function avgPool2dBackward2x2s2(din: usize, dout: usize, H: i32, W: i32, outH: i32, outW: i32): void {
  const rowBytes = <usize>W << 2;
  const four = f32x4.splat(4);
  for (let oy = 0; oy < outH; oy++) {
    const d0 = din + <usize>(2 * oy) * rowBytes;
    const d1 = d0 + rowBytes;
    const g = dout + (<usize>oy * outW << 2);
    let ox = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const off = <usize>ox << 3;
      const q = f32x4.div(v128.load(g + (<usize>ox << 2)), four);
      const lo = v128.shuffle<f32>(q, q, 0, 0, 1, 1);
      const hi = v128.shuffle<f32>(q, q, 2, 2, 3, 3);
      v128.store(d0 + off, lo);
      v128.store(d0 + off, hi, 16);
      v128.store(d1 + off, lo);
      v128.store(d1 + off, hi, 16);
    }
    for (; ox < outW; ox++) {
      const off = <usize>ox << 3;
      const q = load<f32>(g + (<usize>ox << 2)) / 4;
      store<f32>(d0 + off, q);
      store<f32>(d0 + off, q, 4);
      store<f32>(d1 + off, q);
      store<f32>(d1 + off, q, 4);
    }
    zeroTail2x2s2(d0, d1, W, outW);
  }
  zeroLastRow2x2s2(din, H, W, outH);
}

// Zeroes the last column of rows d0 and d1 when W is odd (no 2×2s2 window covers it).
// @ts-ignore: decorator
@inline
function zeroTail2x2s2(d0: usize, d1: usize, W: i32, outW: i32): void {
  if (W > 2 * outW) {
    store<f32>(d0 + (<usize>(W - 1) << 2), 0);
    store<f32>(d1 + (<usize>(W - 1) << 2), 0);
  }
}

// Zeroes the last row of a plane when H is odd.
// @ts-ignore: decorator
@inline
function zeroLastRow2x2s2(din: usize, H: i32, W: i32, outH: i32): void {
  if (H > 2 * outH) memory.fill(din + (<usize>(H - 1) * W << 2), 0, <usize>W << 2);
}

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
// micro-kernels, each along the contiguous axis (an output row), four outputs per v128:
//   2x2s2: 2×2 windows, stride 2, no padding: 8 inputs from each of two rows give 4 outputs, the
//          even and odd columns split apart with shuffles.
//   s1:    stride 1 along W, any kernel: 4 adjacent outputs read 4 adjacent inputs per tap.
//   s2:    stride 2 along W, any kernel: 8 inputs per pair of taps, even lanes for tap kx, odd for kx+1.
//   scalar: other strides, the outputs whose window crosses the left or right padding, and tails.
// Every output element is computed in the same order as PyTorch's CPU kernels (window row-major; in
// backward, contributions to an input element in output order), so results match them bit for bit.

// ---------------------------------------------------------------------------------------------
// Operators (the exports)

/** out = max over each window of inp (see the header for shapes). */
export function f32MaxPool2dForward(
  out: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32,
): void {
  pool2d(MAX_FORWARD, out, inp, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd);
}

/** out = (sum over each window of inp) / (kH·kW). */
export function f32AvgPool2dForward(
  out: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32,
): void {
  pool2d(AVG_FORWARD, out, inp, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd);
}

/** dInp = dOut routed to each window's argmax, recomputed from inp (overlapping windows accumulate). */
export function f32MaxPool2dBackward(
  dInp: usize, dOut: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32,
): void {
  pool2d(MAX_BACKWARD, dInp, dOut, inp, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd);
}

/** dInp = Σ over the windows holding each element of dOut / (kH·kW) (overlapping windows accumulate). */
export function f32AvgPool2dBackward(
  dInp: usize, dOut: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32,
): void {
  pool2d(AVG_BACKWARD, dInp, dOut, 0, H, W, kH, kW, sH, sW, pH, pW, outH, outW, planeStart, planeEnd);
}

const MAX_FORWARD = 0;
const AVG_FORWARD = 1;
const MAX_BACKWARD = 2;
const AVG_BACKWARD = 3;

// The frame shared by the four operators (op is a constant at each call, so each export compiles to
// its own loop): per plane, the 2x2s2 micro-kernel when it applies, else one output row at a time.
// dst, src: out and inp (forward) or dInp and dOut (backward); inp: the input, for max backward.
// @ts-ignore: decorator
@inline
function pool2d(
  op: i32, dst: usize, src: usize, inp: usize, H: i32, W: i32, kH: i32, kW: i32, sH: i32, sW: i32, pH: i32, pW: i32,
  outH: i32, outW: i32, planeStart: i32, planeEnd: i32,
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
    if (is2x2s2) {
      if (op == MAX_FORWARD) pool2dForward2x2s2(true, d, s, W, outH, outW);
      else if (op == AVG_FORWARD) pool2dForward2x2s2(false, d, s, W, outH, outW);
      else if (op == MAX_BACKWARD) maxPool2dBackward2x2s2(d, s, x, H, W, outH, outW);
      else avgPool2dBackward2x2s2(d, s, H, W, outH, outW);
      continue;
    }
    if (!forward) memory.fill(d, 0, planeIn);
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * sH - pH;
      const ky0 = max(0, -iy0);
      const ky1 = min(kH, H - iy0);
      const outRow = <usize>oy * outW << 2;
      if (op == MAX_FORWARD) pool2dForwardRow(true, d + outRow, s, W, iy0, ky0, ky1, kW, sW, pW, outW, divisor);
      else if (op == AVG_FORWARD) pool2dForwardRow(false, d + outRow, s, W, iy0, ky0, ky1, kW, sW, pW, outW, divisor);
      else if (op == MAX_BACKWARD) maxPool2dBackwardRow(d, s + outRow, x, W, iy0, ky0, ky1, kW, sW, pW, outW);
      else avgPool2dBackwardRow(d, s + outRow, W, iy0, ky0, ky1, kW, sW, pW, outW, divisor);
    }
  }
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
// on ties and on a NaN second operand; NaNs are tracked apart), avg sums.
// @ts-ignore: decorator
@inline
function tap(isMax: bool, acc: v128, v: v128): v128 {
  return isMax ? f32x4.pmax(acc, v) : f32x4.add(acc, v);
}

// The lanes that saw a NaN so far (max only).
// @ts-ignore: decorator
@inline
function tapNaN(isMax: bool, nan: v128, v: v128): v128 {
  return isMax ? v128.or(nan, f32x4.ne(v, v)) : nan;
}

// The four outputs: the maximum (NaN where a NaN was seen), or the sum divided by kH·kW.
// @ts-ignore: decorator
@inline
function finish(isMax: bool, acc: v128, nan: v128, divisor: f32): v128 {
  return isMax ? v128.bitselect(f32x4.splat(f32.NaN), acc, nan) : f32x4.div(acc, f32x4.splat(divisor));
}

// One output row: window rows [iy0 + ky0, iy0 + ky1) of plane x, all outW columns.
// @ts-ignore: decorator
@inline
function pool2dForwardRow(
  isMax: bool, o: usize, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, pW: i32, outW: i32, divisor: f32,
): void {
  let ox = 0;
  if (sW == 1) {
    // Windows inside the row start at ox = pW; a group of 4 needs ox + 3 − pW + kW ≤ W.
    for (; ox < pW && ox < outW; ox++) store<f32>(o + (<usize>ox << 2), poolScalar(isMax, x, W, iy0, ky0, ky1, ox - pW, kW, divisor));
    for (; ox + 3 - pW + kW <= W; ox += 4) v128.store(o + (<usize>ox << 2), pool2dForwardS1(isMax, x, W, iy0, ky0, ky1, ox - pW, kW, divisor));
  } else if (sW == 2) {
    // Each tap pair reads 8 inputs, one past the last used when kW is odd: a group of 4 at ox needs
    // 2·ox − pW ≥ 0 and 2·ox + 6 − pW + kW + (kW & 1) ≤ W.
    const first = (pW + 1) >> 1;
    for (; ox < first && ox < outW; ox++) store<f32>(o + (<usize>ox << 2), poolScalar(isMax, x, W, iy0, ky0, ky1, 2 * ox - pW, kW, divisor));
    for (; 2 * ox + 6 - pW + kW + (kW & 1) <= W; ox += 4) v128.store(o + (<usize>ox << 2), pool2dForwardS2(isMax, x, W, iy0, ky0, ky1, 2 * ox - pW, kW, divisor));
  }
  for (; ox < outW; ox++) store<f32>(o + (<usize>ox << 2), poolScalar(isMax, x, W, iy0, ky0, ky1, ox * sW - pW, kW, divisor));
}

// f32-maxpool/avgpool-s1-wasmsimd: outputs whose windows start at columns ix0 … ix0+3 (all inside the row).
// @ts-ignore: decorator
@inline
function pool2dForwardS1(isMax: bool, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32, divisor: f32): v128 {
  let acc = start(isMax);
  let nan = i32x4.splat(0);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = x + (<usize>((iy0 + ky) * W + ix0) << 2);
    for (let kx = 0; kx < kW; kx++) {
      const v = v128.load(row + (<usize>kx << 2));
      acc = tap(isMax, acc, v);
      nan = tapNaN(isMax, nan, v);
    }
  }
  return finish(isMax, acc, nan, divisor);
}

// f32-maxpool/avgpool-s2-wasmsimd: outputs whose windows start at columns ix0, ix0+2, ix0+4, ix0+6.
// @ts-ignore: decorator
@inline
function pool2dForwardS2(isMax: bool, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32, divisor: f32): v128 {
  let acc = start(isMax);
  let nan = i32x4.splat(0);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = x + (<usize>((iy0 + ky) * W + ix0) << 2);
    for (let kx = 0; kx < kW; kx += 2) {
      const a = v128.load(row + (<usize>kx << 2));
      const b = v128.load(row + (<usize>kx << 2), 16);
      const even = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
      acc = tap(isMax, acc, even);
      nan = tapNaN(isMax, nan, even);
      if (kx + 1 < kW) {
        const odd = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
        acc = tap(isMax, acc, odd);
        nan = tapNaN(isMax, nan, odd);
      }
    }
  }
  return finish(isMax, acc, nan, divisor);
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
    let ox = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const off = <usize>ox << 3;
      const a0 = v128.load(r0 + off), b0 = v128.load(r0 + off, 16);
      const a1 = v128.load(r1 + off), b1 = v128.load(r1 + off, 16);
      // The window's taps in scan order: (0,0), (0,1), (1,0), (1,1).
      const t00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
      const t01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
      const t10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
      const t11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
      const acc = tap(isMax, tap(isMax, tap(isMax, tap(isMax, start(isMax), t00), t01), t10), t11);
      const nan = tapNaN(isMax, tapNaN(isMax, tapNaN(isMax, tapNaN(isMax, i32x4.splat(0), t00), t01), t10), t11);
      v128.store(orow + (<usize>ox << 2), finish(isMax, acc, nan, 4));
    }
    for (; ox < outW; ox++) store<f32>(orow + (<usize>ox << 2), poolScalar(isMax, x, W, 2 * oy, 0, 2, 2 * ox, 2, 4));
  }
}

// Scalar edge path: one window at column ix0 (which may lie in the padding), rows [iy0+ky0, iy0+ky1).
// @ts-ignore: decorator
@inline
function poolScalar(isMax: bool, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32, divisor: f32): f32 {
  const kx0 = max(0, -ix0);
  const kx1 = min(kW, W - ix0);
  let acc: f32 = isMax ? f32.NEGATIVE_INFINITY : 0;
  for (let ky = ky0; ky < ky1; ky++) {
    const row = (iy0 + ky) * W + ix0;
    for (let kx = kx0; kx < kx1; kx++) {
      const v = load<f32>(x + (<usize>(row + kx) << 2));
      if (isMax) {
        if (v > acc || v != v) acc = v;
      } else {
        acc += v;
      }
    }
  }
  return isMax ? acc : acc / divisor;
}

// ---------------------------------------------------------------------------------------------
// Max backward: the argmax of each window is recomputed from inp (no indices are stored).

// One output row of max backward: dOut[oy, ·] added to dInp at each window's argmax, in output order.
function maxPool2dBackwardRow(din: usize, g: usize, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, pW: i32, outW: i32): void {
  let ox = 0;
  if (sW == 1) {
    for (; ox < pW && ox < outW; ox++) scatterArgmaxScalar(din, g, x, W, iy0, ky0, ky1, ox, sW, pW, kW);
    for (; ox + 3 - pW + kW <= W; ox += 4) {
      scatter4(din, g + (<usize>ox << 2), iy0 * W + ox - pW, 1, argmaxS1(x, W, iy0, ky0, ky1, ox - pW, kW));
    }
  } else if (sW == 2) {
    const first = (pW + 1) >> 1;
    for (; ox < first && ox < outW; ox++) scatterArgmaxScalar(din, g, x, W, iy0, ky0, ky1, ox, sW, pW, kW);
    for (; 2 * ox + 6 - pW + kW + (kW & 1) <= W; ox += 4) {
      scatter4(din, g + (<usize>ox << 2), iy0 * W + 2 * ox - pW, 2, argmaxS2(x, W, iy0, ky0, ky1, 2 * ox - pW, kW));
    }
  }
  for (; ox < outW; ox++) scatterArgmaxScalar(din, g, x, W, iy0, ky0, ky1, ox, sW, pW, kW);
}

// The lanes where tap v replaces the running maximum m under PyTorch's rule (greater, or NaN).
// @ts-ignore: decorator
@inline
function beats(v: v128, m: v128): v128 {
  return v128.or(f32x4.gt(v, m), f32x4.ne(v, v));
}

// Window offsets (ky·W + kx, relative to the window's top-left corner at row iy0, column ix0 + lane)
// of the argmax of four adjacent stride-1 windows.
function argmaxS1(x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32): v128 {
  let m = f32x4.splat(f32.NEGATIVE_INFINITY);
  let sel = i32x4.splat(ky0 * W); // PyTorch's initial index: the first element of the window
  for (let ky = ky0; ky < ky1; ky++) {
    const row = x + (<usize>((iy0 + ky) * W + ix0) << 2);
    for (let kx = 0; kx < kW; kx++) {
      const v = v128.load(row + (<usize>kx << 2));
      const up = beats(v, m);
      m = v128.bitselect(v, m, up);
      sel = v128.bitselect(i32x4.splat(ky * W + kx), sel, up);
    }
  }
  return sel;
}

// The same for four stride-2 windows starting at columns ix0, ix0+2, ix0+4, ix0+6.
function argmaxS2(x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ix0: i32, kW: i32): v128 {
  let m = f32x4.splat(f32.NEGATIVE_INFINITY);
  let sel = i32x4.splat(ky0 * W);
  for (let ky = ky0; ky < ky1; ky++) {
    const row = x + (<usize>((iy0 + ky) * W + ix0) << 2);
    for (let kx = 0; kx < kW; kx += 2) {
      const a = v128.load(row + (<usize>kx << 2));
      const b = v128.load(row + (<usize>kx << 2), 16);
      const even = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
      let up = beats(even, m);
      m = v128.bitselect(even, m, up);
      sel = v128.bitselect(i32x4.splat(ky * W + kx), sel, up);
      if (kx + 1 < kW) {
        const odd = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
        up = beats(odd, m);
        m = v128.bitselect(odd, m, up);
        sel = v128.bitselect(i32x4.splat(ky * W + kx + 1), sel, up);
      }
    }
  }
  return sel;
}

// dInp[base + lane·step + sel[lane]] += g[lane] for lanes 0…3 in order (base: flat index of the first
// window's top-left corner, which may lie in the padding rows).
// @ts-ignore: decorator
@inline
function scatter4(din: usize, g: usize, base: i32, step: i32, sel: v128): void {
  addAt(din, base + i32x4.extract_lane(sel, 0), load<f32>(g));
  addAt(din, base + step + i32x4.extract_lane(sel, 1), load<f32>(g, 4));
  addAt(din, base + 2 * step + i32x4.extract_lane(sel, 2), load<f32>(g, 8));
  addAt(din, base + 3 * step + i32x4.extract_lane(sel, 3), load<f32>(g, 12));
}

// @ts-ignore: decorator
@inline
function addAt(p: usize, index: i32, v: f32): void {
  const q = p + (<usize>index << 2);
  store<f32>(q, load<f32>(q) + v);
}

// Scalar edge path of max backward: output column ox.
function scatterArgmaxScalar(din: usize, g: usize, x: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, ox: i32, sW: i32, pW: i32, kW: i32): void {
  const ix0 = ox * sW - pW;
  const kx0 = max(0, -ix0);
  const kx1 = min(kW, W - ix0);
  let best = (iy0 + ky0) * W + ix0 + kx0;
  let m: f32 = f32.NEGATIVE_INFINITY;
  for (let ky = ky0; ky < ky1; ky++) {
    const row = (iy0 + ky) * W + ix0;
    for (let kx = kx0; kx < kx1; kx++) {
      const v = load<f32>(x + (<usize>(row + kx) << 2));
      if (v > m || v != v) {
        m = v;
        best = row + kx;
      }
    }
  }
  addAt(din, best, load<f32>(g + (<usize>ox << 2)));
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
    let ox = 0;
    for (; ox + 4 <= outW; ox += 4) {
      const off = <usize>ox << 3;
      const a0 = v128.load(x0 + off), b0 = v128.load(x0 + off, 16);
      const a1 = v128.load(x1 + off), b1 = v128.load(x1 + off, 16);
      const t00 = v128.shuffle<f32>(a0, b0, 0, 2, 4, 6);
      const t01 = v128.shuffle<f32>(a0, b0, 1, 3, 5, 7);
      const t10 = v128.shuffle<f32>(a1, b1, 0, 2, 4, 6);
      const t11 = v128.shuffle<f32>(a1, b1, 1, 3, 5, 7);
      // The argmax tap (0…3) in scan order, PyTorch's rule.
      let m = t00;
      let sel = i32x4.splat(0);
      let up = beats(t01, m);
      m = v128.bitselect(t01, m, up);
      sel = v128.bitselect(i32x4.splat(1), sel, up);
      up = beats(t10, m);
      m = v128.bitselect(t10, m, up);
      sel = v128.bitselect(i32x4.splat(2), sel, up);
      up = beats(t11, m);
      sel = v128.bitselect(i32x4.splat(3), sel, up);
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
    for (; ox < outW; ox++) {
      const off = <usize>ox << 3;
      store<f32>(d0 + off, 0);
      store<f32>(d0 + off, 0, 4);
      store<f32>(d1 + off, 0);
      store<f32>(d1 + off, 0, 4);
      scatterArgmaxScalar(din, g, x, W, 2 * oy, 0, 2, ox, 2, 0, 2);
    }
    zeroTail2x2s2(d0, d1, W, outW);
  }
  zeroLastRow2x2s2(din, H, W, outH);
}

// ---------------------------------------------------------------------------------------------
// Average backward

// One output row of avg backward: dOut[oy, ·] / (kH·kW) added over window rows [iy0+ky0, iy0+ky1).
function avgPool2dBackwardRow(din: usize, g: usize, W: i32, iy0: i32, ky0: i32, ky1: i32, kW: i32, sW: i32, pW: i32, outW: i32, divisor: f32): void {
  for (let ky = ky0; ky < ky1; ky++) {
    const row = din + (<usize>(iy0 + ky) * W << 2);
    // Taps right to left: each input element then receives its contributions in output order.
    for (let kx = kW - 1; kx >= 0; kx--) avgPool2dBackwardTap(row, g, W, kx, sW, pW, outW, divisor);
  }
}

// One tap (ky, kx) of avg backward for an output row: row[ox·sW − pW + kx] += g[ox] / divisor for
// every ox whose column lies inside the row; vectorised over ox when sW = 1.
function avgPool2dBackwardTap(row: usize, g: usize, W: i32, kx: i32, sW: i32, pW: i32, outW: i32, divisor: f32): void {
  const shift = kx - pW; // input column of output 0
  let ox = shift >= 0 ? 0 : (-shift + sW - 1) / sW;
  const end = min(outW, W - 1 - shift < 0 ? 0 : (W - 1 - shift) / sW + 1);
  if (sW == 1) {
    const d = f32x4.splat(divisor);
    for (; ox + 4 <= end; ox += 4) {
      const p = row + (<usize>(ox + shift) << 2);
      v128.store(p, f32x4.add(v128.load(p), f32x4.div(v128.load(g + (<usize>ox << 2)), d)));
    }
  }
  for (; ox < end; ox++) addAt(row, ox * sW + shift, load<f32>(g + (<usize>ox << 2)) / divisor);
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

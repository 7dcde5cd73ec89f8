// Loss kernels with PyTorch's options, f32: cross-entropy with class weights, label smoothing and
// an ignored class, cross-entropy against probability targets, binary cross-entropy (on
// probabilities and, numerically stable, on logits), and the pointwise L1 / smooth L1 / Huber /
// squared errors. Exponentials use the same vectorised exp as the plain cross-entropy (loss.ts).
//
// Forward kernels write each row's (or element's) loss, unreduced, where an output is given, and
// RETURN their sum in f64; the caller divides for the mean. Backward kernels read the upstream
// gradient g from `grad` at index i·gradStride (stride 0: one value for a reduced loss, 1: one per
// row or element for reduction 'none') and divide it by `divisor` (the mean's denominator, else 1).
// Every kernel takes a range of rows or elements so a batch can be split across workers.

import { classAt, expF32, expF32x4, horizontalSum, logSumExpRow, rowMax } from './loss';
import { logF32, logF32x4 } from './vmath';

// Σ of the four lanes of v added to acc in f64 (two promoted halves), as the MSE kernel sums.
// @ts-ignore: decorator
@inline
function addLanesF64(acc: v128, v: v128): v128 {
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
}

// The upstream gradient of elements i … i + 3: one value broadcast (stride 0) or four.
// @ts-ignore: decorator
@inline
function gradX4(grad: usize, gradStride: i32, i: i32): v128 {
  return gradStride == 0 ? v128.load32_splat(grad) : v128.load(grad + (<usize>i << 2));
}

// ---- cross-entropy with class indices and options --------------------------------------------------

// The class weight w[c] (1 without weights: weight = 0).
// @ts-ignore: decorator
@inline
function weightAt(weight: usize, c: i32): f32 {
  return weight ? load<f32>(weight + (<usize>c << 2)) : <f32>1;
}

// f32-cross-entropy-class-forward.
//   logits [N, C]; targets [N] (f32 class indices in [0, C) or ignoreIndex); weight [C] or 0;
//   lossRows [N] (out); logSumExp [N] (out). For rows n in [rowStart, rowEnd) with y = target[n]:
//   lossRows[n] = (1 − ε)·w[y]·(lse − x[y]) + (ε/C)·Σ_c w[c]·(lse − x[c]), ε = smoothing, and 0 for
//   an ignored row. Returns Σ lossRows over the range (f64).
export function f32CrossEntropyClassForward(lossRows: usize, logSumExp: usize, logits: usize, targets: usize, weight: usize, C: i32, ignoreIndex: i32, smoothing: f32, rowStart: i32, rowEnd: i32): f64 {
  let total: f64 = 0;
  for (let n = rowStart; n < rowEnd; n++) {
    const y = classAt(targets, n);
    const outRow = lossRows + (<usize>n << 2);
    if (y == ignoreIndex) {
      store<f32>(outRow, 0);
      store<f32>(logSumExp + (<usize>n << 2), 0);
      continue;
    }
    const row = logits + (<usize>n * C << 2);
    const lse = logSumExpRow(row, C);
    store<f32>(logSumExp + (<usize>n << 2), lse);
    let loss = weightAt(weight, y) * (lse - load<f32>(row + (<usize>y << 2)));
    if (smoothing != 0) {
      const splatLse = f32x4.splat(lse);
      let acc = f32x4.splat(0);
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const o = <usize>c << 2;
        const w = weight ? v128.load(weight + o) : f32x4.splat(1);
        acc = f32x4.add(acc, f32x4.mul(w, f32x4.sub(splatLse, v128.load(row + o))));
      }
      let smooth = horizontalSum(acc);
      for (; c < C; c++) smooth += weightAt(weight, c) * (lse - load<f32>(row + (<usize>c << 2)));
      loss = (<f32>1 - smoothing) * loss + smoothing / <f32>C * smooth;
    }
    store<f32>(outRow, loss);
    total += <f64>loss;
  }
  return total;
}

// f32-cross-entropy-class-backward.
//   gradLogits [N, C] (out); the rest as in the forward. With g = grad[n·gradStride] / divisor,
//   a = (1 − ε)·w[y]·g, b = (ε/C)·g, W = Σ_c w[c] and p = softmax(row):
//   gradLogits[n, c] = p[c]·(a + b·W) − b·w[c] − [c = y]·a; 0 for an ignored row.
export function f32CrossEntropyClassBackward(gradLogits: usize, grad: usize, gradStride: i32, divisor: f32, logits: usize, logSumExp: usize, targets: usize, weight: usize, C: i32, ignoreIndex: i32, smoothing: f32, rowStart: i32, rowEnd: i32): void {
  let W: f32 = <f32>C;
  if (weight) {
    W = 0;
    for (let c = 0; c < C; c++) W += load<f32>(weight + (<usize>c << 2));
  }
  for (let n = rowStart; n < rowEnd; n++) {
    const off = <usize>n * C << 2;
    const row = logits + off;
    const out = gradLogits + off;
    const y = classAt(targets, n);
    if (y == ignoreIndex) {
      memory.fill(out, 0, <usize>C << 2);
      continue;
    }
    const g = load<f32>(grad + (<usize>n * gradStride << 2)) / divisor;
    const a = (<f32>1 - smoothing) * weightAt(weight, y) * g;
    const b = smoothing / <f32>C * g;
    const k = a + b * W;
    const lse = load<f32>(logSumExp + (<usize>n << 2));
    const splatLse = f32x4.splat(lse);
    const splatK = f32x4.splat(k);
    const splatB = f32x4.splat(b);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      let v = f32x4.mul(expF32x4(f32x4.sub(v128.load(row + o), splatLse)), splatK);
      if (smoothing != 0) v = f32x4.sub(v, f32x4.mul(splatB, weight ? v128.load(weight + o) : f32x4.splat(1)));
      v128.store(out + o, v);
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      let v = expF32(load<f32>(row + o) - lse) * k;
      if (smoothing != 0) v -= b * weightAt(weight, c);
      store<f32>(out + o, v);
    }
    const t = out + (<usize>y << 2);
    store<f32>(t, load<f32>(t) - a);
  }
}

// ---- cross-entropy with probability targets --------------------------------------------------------

// f32-cross-entropy-prob-forward.
//   logits, targets [N, C] (probabilities); weight [C] or 0; lossRows [N] (out), logSumExp [N] (out).
//   lossRows[n] = Σ_c w[c]·t'[c]·(lse − x[c]) with t' = t·(1 − ε) + ε/C. Returns the sum (f64).
export function f32CrossEntropyProbForward(lossRows: usize, logSumExp: usize, logits: usize, targets: usize, weight: usize, C: i32, smoothing: f32, rowStart: i32, rowEnd: i32): f64 {
  let total: f64 = 0;
  const keep = <f32>1 - smoothing;
  const add = smoothing / <f32>C;
  for (let n = rowStart; n < rowEnd; n++) {
    const off = <usize>n * C << 2;
    const row = logits + off;
    const trow = targets + off;
    const lse = logSumExpRow(row, C);
    store<f32>(logSumExp + (<usize>n << 2), lse);
    const splatLse = f32x4.splat(lse);
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const w = weight ? v128.load(weight + o) : f32x4.splat(1);
      const t = smoothedX4(v128.load(trow + o), smoothing, keep, add);
      acc = f32x4.add(acc, f32x4.mul(f32x4.mul(w, t), f32x4.sub(splatLse, v128.load(row + o))));
    }
    let loss = horizontalSum(acc);
    for (; c < C; c++) {
      const o = <usize>c << 2;
      loss += weightAt(weight, c) * smoothed(load<f32>(trow + o), smoothing, keep, add) * (lse - load<f32>(row + o));
    }
    store<f32>(lossRows + (<usize>n << 2), loss);
    total += <f64>loss;
  }
  return total;
}

// f32-cross-entropy-prob-backward.
//   gradLogits [N, C] (out); gradTargets [N, C] (out) or 0. With g = grad[n·gradStride] / divisor,
//   S = Σ_c w[c]·t'[c] and p = softmax(row): gradLogits[n, c] = g·(p[c]·S − w[c]·t'[c]) and
//   gradTargets[n, c] = g·(1 − ε)·w[c]·(lse − x[c]).
export function f32CrossEntropyProbBackward(gradLogits: usize, gradTargets: usize, grad: usize, gradStride: i32, divisor: f32, logits: usize, logSumExp: usize, targets: usize, weight: usize, C: i32, smoothing: f32, rowStart: i32, rowEnd: i32): void {
  const keep = <f32>1 - smoothing;
  const add = smoothing / <f32>C;
  for (let n = rowStart; n < rowEnd; n++) {
    const off = <usize>n * C << 2;
    const row = logits + off;
    const trow = targets + off;
    const g = load<f32>(grad + (<usize>n * gradStride << 2)) / divisor;
    const lse = load<f32>(logSumExp + (<usize>n << 2));
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const w = weight ? v128.load(weight + o) : f32x4.splat(1);
      acc = f32x4.add(acc, f32x4.mul(w, smoothedX4(v128.load(trow + o), smoothing, keep, add)));
    }
    let S = horizontalSum(acc);
    for (; c < C; c++) S += weightAt(weight, c) * smoothed(load<f32>(trow + (<usize>c << 2)), smoothing, keep, add);
    const splatG = f32x4.splat(g);
    const splatGKeep = f32x4.splat(g * keep);
    const splatS = f32x4.splat(S);
    const splatLse = f32x4.splat(lse);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const w = weight ? v128.load(weight + o) : f32x4.splat(1);
      const t = smoothedX4(v128.load(trow + o), smoothing, keep, add);
      const x = v128.load(row + o);
      const p = expF32x4(f32x4.sub(x, splatLse));
      v128.store(gradLogits + off + o, f32x4.mul(splatG, f32x4.sub(f32x4.mul(p, splatS), f32x4.mul(w, t))));
      if (gradTargets) v128.store(gradTargets + off + o, f32x4.mul(f32x4.mul(splatGKeep, w), f32x4.sub(splatLse, x)));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const t = smoothed(load<f32>(trow + o), smoothing, keep, add);
      const w = weightAt(weight, c);
      const x = load<f32>(row + o);
      store<f32>(gradLogits + off + o, g * (expF32(x - lse) * S - w * t));
      if (gradTargets) store<f32>(gradTargets + off + o, g * keep * w * (lse - x));
    }
  }
}

// The smoothed target t·(1 − ε) + ε/C (t itself when ε = 0), one value and four.
// @ts-ignore: decorator
@inline
function smoothed(t: f32, smoothing: f32, keep: f32, add: f32): f32 {
  return smoothing != 0 ? t * keep + add : t;
}

// @ts-ignore: decorator
@inline
function smoothedX4(t: v128, smoothing: f32, keep: f32, add: f32): v128 {
  return smoothing != 0 ? f32x4.add(f32x4.mul(t, f32x4.splat(keep)), f32x4.splat(add)) : t;
}

// ---- binary cross-entropy on logits (numerically stable) -------------------------------------------

// PyTorch's log(e^−m + e^(−x−m)) with m = max(−x, 0): one of the two exponents is exactly 0 and
// exp(0) = 1 exactly, so the sum is 1 + e^−|x|, bit for bit, for one exp instead of two.
function logSumExpTerms(x: f32): f32 {
  return logF32(<f32>1 + expF32(-abs(x)));
}

// @ts-ignore: decorator
@inline
function logSumExpTermsX4(x: v128): v128 {
  return logF32x4(f32x4.add(f32x4.splat(1), expF32x4(f32x4.neg(f32x4.abs(x)))));
}

// softplus(−x) = log(1 + e^−x) as PyTorch writes it: log(e^−m + e^(−x−m)) + m, m = max(−x, 0);
// the SIMD twin gives the same bits (exp from loss.ts, log from vmath.ts).
function softplusNeg(x: f32): f32 {
  return logSumExpTerms(x) + max(-x, <f32>0);
}

// @ts-ignore: decorator
@inline
function softplusNegX4(x: v128): v128 {
  return f32x4.add(logSumExpTermsX4(x), f32x4.max(f32x4.neg(x), f32x4.splat(0)));
}

// The positive-class weight of element i: posWeight[i mod period].
// @ts-ignore: decorator
@inline
function posWeightAt(posWeight: usize, period: i32, i: i32): f32 {
  return load<f32>(posWeight + (<usize>(i % period) << 2));
}

// posWeight for elements i … i + 3 when they are four consecutive entries of it (or one entry
// repeated: period 1); the caller checks `posWeightRunsX4` first.
// @ts-ignore: decorator
@inline
function posWeightX4(posWeight: usize, period: i32, i: i32): v128 {
  return period == 1 ? v128.load32_splat(posWeight) : v128.load(posWeight + (<usize>(i % period) << 2));
}

// @ts-ignore: decorator
@inline
function posWeightRunsX4(posWeight: usize, period: i32, i: i32): bool {
  return !posWeight || period == 1 || i % period + 4 <= period;
}

// f32-bce-with-logits-forward.
//   x, y: [n] logits and targets; posWeight: [period] or 0; out: [n] or 0.
//   Without posWeight loss[i] = (1 − y)·x + m + log(e^−m + e^(−x−m)), m = max(−x, 0); with it
//   (1 − y)·x + lw·softplus(−x), lw = (posWeight − 1)·y + 1 (PyTorch's two forms, op for op).
//   Returns Σ loss over [start, end) (f64). SIMD where four elements share a run of posWeight.
export function f32BceWithLogitsForward(out: usize, x: usize, y: usize, posWeight: usize, period: i32, start: i32, end: i32): f64 {
  let acc = f64x2.splat(0);
  let total: f64 = 0;
  const one = f32x4.splat(1);
  let i = start;
  while (i < end) {
    const o = <usize>i << 2;
    if (i + 4 <= end && posWeightRunsX4(posWeight, period, i)) {
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      const m = f32x4.max(f32x4.neg(xv), f32x4.splat(0));
      const terms = logSumExpTermsX4(xv);
      const linear = f32x4.mul(f32x4.sub(one, yv), xv);
      let loss: v128;
      if (posWeight) {
        const lw = f32x4.add(f32x4.mul(f32x4.sub(posWeightX4(posWeight, period, i), one), yv), one);
        loss = f32x4.add(linear, f32x4.mul(lw, f32x4.add(terms, m)));
      } else {
        loss = f32x4.add(f32x4.add(linear, m), terms);
      }
      if (out) v128.store(out + o, loss);
      acc = addLanesF64(acc, loss);
      i += 4;
      continue;
    }
    const xi = load<f32>(x + o);
    const yi = load<f32>(y + o);
    const m = max(-xi, <f32>0);
    const terms = logSumExpTerms(xi);
    let loss: f32;
    if (posWeight) {
      const lw = (posWeightAt(posWeight, period, i) - 1) * yi + 1;
      loss = (1 - yi) * xi + lw * (terms + m);
    } else {
      loss = (1 - yi) * xi + m + terms;
    }
    if (out) store<f32>(out + o, loss);
    total += <f64>loss;
    i++;
  }
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1) + total;
}

// f32-bce-with-logits-backward.
//   gx, gy: [n] (out) or 0. With g = grad[i·gradStride] and σ = 1 / (1 + e^−x):
//   gx = (σ − y)·g / divisor, or ((pw·y + 1 − y)·σ − pw·y)·g / divisor with posWeight;
//   gy = −x·g / divisor, or (−x + (pw − 1)·softplus(−x))·g / divisor with posWeight.
export function f32BceWithLogitsBackward(gx: usize, gy: usize, grad: usize, gradStride: i32, divisor: f32, x: usize, y: usize, posWeight: usize, period: i32, start: i32, end: i32): void {
  const one = f32x4.splat(1);
  const div = f32x4.splat(divisor);
  let i = start;
  while (i < end) {
    const o = <usize>i << 2;
    if (i + 4 <= end && posWeightRunsX4(posWeight, period, i)) {
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      const g = gradX4(grad, gradStride, i);
      const pw = posWeight ? posWeightX4(posWeight, period, i) : one;
      if (gx) {
        const s = f32x4.div(one, f32x4.add(one, expF32x4(f32x4.neg(xv))));
        let d: v128;
        if (posWeight) {
          const t = f32x4.mul(pw, yv);
          d = f32x4.sub(f32x4.mul(f32x4.sub(f32x4.add(t, one), yv), s), t);
        } else {
          d = f32x4.sub(s, yv);
        }
        v128.store(gx + o, f32x4.div(f32x4.mul(d, g), div));
      }
      if (gy) {
        const d = posWeight ? f32x4.add(f32x4.neg(xv), f32x4.mul(f32x4.sub(pw, one), softplusNegX4(xv))) : f32x4.neg(xv);
        v128.store(gy + o, f32x4.div(f32x4.mul(d, g), div));
      }
      i += 4;
      continue;
    }
    const xi = load<f32>(x + o);
    const yi = load<f32>(y + o);
    const g = load<f32>(grad + (<usize>i * gradStride << 2));
    const pw = posWeight ? posWeightAt(posWeight, period, i) : <f32>1;
    if (gx) {
      const s = <f32>1 / (<f32>1 + expF32(-xi));
      let d: f32;
      if (posWeight) {
        const t = pw * yi;
        d = (t + 1 - yi) * s - t;
      } else {
        d = s - yi;
      }
      store<f32>(gx + o, d * g / divisor);
    }
    if (gy) store<f32>(gy + o, (posWeight ? -xi + (pw - 1) * softplusNeg(xi) : -xi) * g / divisor);
    i++;
  }
}

// ---- binary cross-entropy on probabilities ---------------------------------------------------------

// f32-bce-forward: loss[i] = (y − 1)·max(log(1 − x), −100) − y·max(log x, −100) (PyTorch's clamp keeps
// x = 0 or 1 finite). out [n] or 0. Returns Σ loss over [start, end) (f64).
export function f32BceForward(out: usize, x: usize, y: usize, start: i32, end: i32): f64 {
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    const yi = load<f32>(y + o);
    const loss = (yi - 1) * max(logF32(1 - xi), <f32>-100) - yi * max(logF32(xi), <f32>-100);
    if (out) store<f32>(out + o, loss);
    total += <f64>loss;
  }
  return total;
}

// f32-bce-backward: gx = g·(x − y) / max((1 − x)·x, 1e-12) / divisor, gy = g·(log(1 − x) − log x) / divisor.
export function f32BceBackward(gx: usize, gy: usize, grad: usize, gradStride: i32, divisor: f32, x: usize, y: usize, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    const g = load<f32>(grad + (<usize>i * gradStride << 2));
    if (gx) store<f32>(gx + o, g * (xi - load<f32>(y + o)) / max((<f32>1 - xi) * xi, <f32>1e-12) / divisor);
    if (gy) store<f32>(gy + o, g * (logF32(1 - xi) - logF32(xi)) / divisor);
  }
}

// ---- pointwise regression losses -------------------------------------------------------------------

export const POINTWISE_L1: i32 = 0;
export const POINTWISE_SMOOTH_L1: i32 = 1;
export const POINTWISE_HUBER: i32 = 2;
export const POINTWISE_SQUARED: i32 = 3;

// f32-pointwise-loss-forward over d = a − b: L1 |d|; smooth L1 (param β ≥ 0) 0.5·d²/β below β, else
// |d| − 0.5·β; Huber (param δ) 0.5·d² below δ, else δ·(|d| − 0.5·δ); squared d². out [n] or 0.
// Returns Σ over [start, end) (f64). The SIMD body and the scalar tail give the same bits.
export function f32PointwiseLossForward(kind: i32, out: usize, a: usize, b: usize, param: f32, start: i32, end: i32): f64 {
  let acc = f64x2.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const loss = pointwiseX4(kind, f32x4.sub(v128.load(a + o), v128.load(b + o)), param);
    if (out) v128.store(out + o, loss);
    acc = addLanesF64(acc, loss);
  }
  let total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const loss = pointwise(kind, load<f32>(a + o) - load<f32>(b + o), param);
    if (out) store<f32>(out + o, loss);
    total += <f64>loss;
  }
  return total;
}

function pointwise(kind: i32, d: f32, param: f32): f32 {
  const z = abs(d);
  if (kind == POINTWISE_L1) return z;
  if (kind == POINTWISE_SMOOTH_L1) return z < param ? <f32>0.5 * z * z / param : z - <f32>0.5 * param;
  if (kind == POINTWISE_HUBER) return z < param ? <f32>0.5 * z * z : param * (z - <f32>0.5 * param);
  return d * d;
}

// @ts-ignore: decorator
@inline
function pointwiseX4(kind: i32, d: v128, param: f32): v128 {
  const z = f32x4.abs(d);
  const p = f32x4.splat(param);
  const half = f32x4.splat(0.5);
  if (kind == POINTWISE_L1) return z;
  const quadratic = f32x4.mul(f32x4.mul(half, z), z);
  if (kind == POINTWISE_SMOOTH_L1) return v128.bitselect(f32x4.div(quadratic, p), f32x4.sub(z, f32x4.mul(half, p)), f32x4.lt(z, p));
  if (kind == POINTWISE_HUBER) return v128.bitselect(quadratic, f32x4.mul(p, f32x4.sub(z, f32x4.mul(half, p))), f32x4.lt(z, p));
  return f32x4.mul(d, d);
}

// f32-pointwise-loss-backward: ga = ∂loss/∂a and gb = ∂loss/∂b (either may be 0), g = grad[i·gradStride],
// norm = 1 / divisor. L1: ga = sign(d)·(g / divisor) (0 at d = 0), gb = −ga. Smooth L1 and Huber use
// PyTorch's backward f(d): smooth L1 ±norm·g from ±β on, else norm·d·g/β; Huber ±norm·g·δ from ±δ
// on, else norm·d·g; ga = f(d) and gb = f(−d) (PyTorch's target gradient, the same function with
// input and target swapped: with β = 0 both are −norm·g at d = 0). Squared: ga = (2 / divisor)·d·g, gb = −ga.
export function f32PointwiseLossBackward(kind: i32, ga: usize, gb: usize, grad: usize, gradStride: i32, divisor: f32, a: usize, b: usize, param: f32, start: i32, end: i32): void {
  const norm = <f32>1 / divisor;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(a + o), v128.load(b + o));
    const g = gradX4(grad, gradStride, i);
    let ra: v128;
    let rb: v128;
    if (kind == POINTWISE_L1) {
      const q = f32x4.div(g, f32x4.splat(divisor));
      const zero = f32x4.splat(0);
      ra = v128.bitselect(q, v128.bitselect(f32x4.neg(q), v128.bitselect(zero, d, f32x4.eq(d, zero)), f32x4.lt(d, zero)), f32x4.gt(d, zero));
      rb = f32x4.neg(ra);
    } else if (kind == POINTWISE_SMOOTH_L1 || kind == POINTWISE_HUBER) {
      ra = kinkedBackwardX4(kind, d, g, norm, param);
      rb = kinkedBackwardX4(kind, f32x4.neg(d), g, norm, param);
    } else {
      ra = f32x4.mul(f32x4.mul(f32x4.splat(<f32>2 / divisor), d), g);
      rb = f32x4.neg(ra);
    }
    if (ga) v128.store(ga + o, ra);
    if (gb) v128.store(gb + o, rb);
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(b + o);
    const g = load<f32>(grad + (<usize>i * gradStride << 2));
    let ra: f32;
    let rb: f32;
    if (kind == POINTWISE_L1) {
      ra = d > 0 ? g / divisor : d < 0 ? -(g / divisor) : d == 0 ? <f32>0 : d; // sign(NaN) is NaN
      rb = -ra;
    } else if (kind == POINTWISE_SMOOTH_L1 || kind == POINTWISE_HUBER) {
      ra = kinkedBackward(kind, d, g, norm, param);
      rb = kinkedBackward(kind, -d, g, norm, param);
    } else {
      ra = <f32>2 / divisor * d * g;
      rb = -ra;
    }
    if (ga) store<f32>(ga + o, ra);
    if (gb) store<f32>(gb + o, rb);
  }
}

// PyTorch's smooth L1 (p = β) and Huber (p = δ) backward at x = input − target.
function kinkedBackward(kind: i32, x: f32, g: f32, norm: f32, p: f32): f32 {
  if (kind == POINTWISE_SMOOTH_L1) return x <= -p ? -norm * g : x >= p ? norm * g : norm * x * g / p;
  return x <= -p ? -norm * g * p : x >= p ? norm * g * p : norm * x * g;
}

// @ts-ignore: decorator
@inline
function kinkedBackwardX4(kind: i32, x: v128, g: v128, norm: f32, p: f32): v128 {
  const splatP = f32x4.splat(p);
  const up = f32x4.mul(f32x4.splat(norm), g);
  const down = f32x4.mul(f32x4.splat(-norm), g);
  const inner = f32x4.mul(f32x4.mul(f32x4.splat(norm), x), g);
  const low = f32x4.le(x, f32x4.neg(splatP));
  const high = f32x4.ge(x, splatP);
  if (kind == POINTWISE_SMOOTH_L1) return v128.bitselect(down, v128.bitselect(up, f32x4.div(inner, splatP), high), low);
  return v128.bitselect(f32x4.mul(down, splatP), v128.bitselect(f32x4.mul(up, splatP), inner, high), low);
}

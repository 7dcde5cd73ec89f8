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

import { classAt, expF32, expF32x4, horizontalSum, rowMax } from './loss';

// ---- cross-entropy with class indices and options --------------------------------------------------

// Σ_c exp(x[c] − m) + m as the plain kernel computes it: the row's log-sum-exp.
// @ts-ignore: decorator
@inline
function logSumExpRow(row: usize, C: i32): f32 {
  const m = rowMax(row, C);
  const splatM = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c + 4 <= C; c += 4) acc = f32x4.add(acc, expF32x4(f32x4.sub(v128.load(row + (<usize>c << 2)), splatM)));
  let sum = horizontalSum(acc);
  for (; c < C; c++) sum += expF32(load<f32>(row + (<usize>c << 2)) - m);
  return m + Mathf.log(sum);
}

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
    let loss: f32 = 0;
    for (let c = 0; c < C; c++) {
      const o = <usize>c << 2;
      let t = load<f32>(trow + o);
      if (smoothing != 0) t = t * keep + add;
      loss += weightAt(weight, c) * t * (lse - load<f32>(row + o));
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
    let S: f32 = 0;
    for (let c = 0; c < C; c++) {
      let t = load<f32>(trow + (<usize>c << 2));
      if (smoothing != 0) t = t * keep + add;
      S += weightAt(weight, c) * t;
    }
    for (let c = 0; c < C; c++) {
      const o = <usize>c << 2;
      let t = load<f32>(trow + o);
      if (smoothing != 0) t = t * keep + add;
      const w = weightAt(weight, c);
      const x = load<f32>(row + o);
      store<f32>(gradLogits + off + o, g * (expF32(x - lse) * S - w * t));
      if (gradTargets) store<f32>(gradTargets + off + o, g * keep * w * (lse - x));
    }
  }
}

// ---- binary cross-entropy on logits (numerically stable) -------------------------------------------

// softplus(−x) = log(1 + e^−x) as PyTorch writes it: m + log(e^−m + e^(−x−m)), m = max(−x, 0).
// @ts-ignore: decorator
@inline
function softplusNeg(x: f32): f32 {
  const m = max(-x, <f32>0);
  return Mathf.log(expF32(-m) + expF32(-x - m)) + m;
}

// The positive-class weight of element i: posWeight[i mod period] (posWeight = 0: none).
// @ts-ignore: decorator
@inline
function posWeightAt(posWeight: usize, period: i32, i: i32): f32 {
  return load<f32>(posWeight + (<usize>(i % period) << 2));
}

// f32-bce-with-logits-forward.
//   x, y: [n] logits and targets; posWeight: [period] or 0; out: [n] or 0.
//   loss[i] = (1 − y)·x + lw·softplus(−x), lw = 1 + (posWeight − 1)·y (1 without posWeight).
//   Returns Σ loss over [start, end) (f64).
export function f32BceWithLogitsForward(out: usize, x: usize, y: usize, posWeight: usize, period: i32, start: i32, end: i32): f64 {
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const xi = load<f32>(x + o);
    const yi = load<f32>(y + o);
    let loss: f32;
    if (posWeight) {
      const lw = (posWeightAt(posWeight, period, i) - 1) * yi + 1;
      loss = (1 - yi) * xi + lw * softplusNeg(xi);
    } else {
      const m = max(-xi, <f32>0);
      loss = (1 - yi) * xi + m + Mathf.log(expF32(-m) + expF32(-xi - m));
    }
    if (out) store<f32>(out + o, loss);
    total += <f64>loss;
  }
  return total;
}

// f32-bce-with-logits-backward.
//   gx, gy: [n] (out) or 0. With g = grad[i·gradStride], σ = sigmoid(x):
//   gx = (σ − y)·g / divisor, or ((pw·y + 1 − y)·σ − pw·y)·g / divisor with posWeight;
//   gy = (−x + (pw − 1)·softplus(−x))·g / divisor (pw = 1 without posWeight).
export function f32BceWithLogitsBackward(gx: usize, gy: usize, grad: usize, gradStride: i32, divisor: f32, x: usize, y: usize, posWeight: usize, period: i32, start: i32, end: i32): void {
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
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
    if (gy) store<f32>(gy + o, (-xi + (pw - 1) * softplusNeg(xi)) * g / divisor);
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
    const loss = (yi - 1) * max(Mathf.log(1 - xi), <f32>-100) - yi * max(Mathf.log(xi), <f32>-100);
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
    if (gy) store<f32>(gy + o, g * (Mathf.log(1 - xi) - Mathf.log(xi)) / divisor);
  }
}

// ---- pointwise regression losses -------------------------------------------------------------------

export const POINTWISE_L1: i32 = 0;
export const POINTWISE_SMOOTH_L1: i32 = 1;
export const POINTWISE_HUBER: i32 = 2;
export const POINTWISE_SQUARED: i32 = 3;

// f32-pointwise-loss-forward over d = a − b: L1 |d|; smooth L1 (param β > 0) 0.5·d²/β below β, else
// |d| − 0.5·β; Huber (param δ) 0.5·d² below δ, else δ·(|d| − 0.5·δ); squared d². out [n] or 0.
// Returns Σ over [start, end) (f64).
export function f32PointwiseLossForward(kind: i32, out: usize, a: usize, b: usize, param: f32, start: i32, end: i32): f64 {
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(b + o);
    const z = abs(d);
    let loss: f32;
    if (kind == POINTWISE_L1) loss = z;
    else if (kind == POINTWISE_SMOOTH_L1) loss = z < param ? <f32>0.5 * z * z / param : z - <f32>0.5 * param;
    else if (kind == POINTWISE_HUBER) loss = z < param ? <f32>0.5 * z * z : param * (z - <f32>0.5 * param);
    else loss = d * d;
    if (out) store<f32>(out + o, loss);
    total += <f64>loss;
  }
  return total;
}

// f32-pointwise-loss-backward: ga = ∂loss/∂a and gb = ∂loss/∂b (either may be 0), g = grad[i·gradStride],
// norm = 1 / divisor. L1: ga = sign(d)·(g·norm) (0 at d = 0), gb = −ga. Smooth L1 and Huber use
// PyTorch's backward f(d): smooth L1 ±norm·g from ±β on, else norm·d·g/β; Huber ±norm·g·δ from ±δ
// on, else norm·d·g; ga = f(d) and gb = f(−d) (PyTorch's target gradient, the same function with
// input and target swapped: with β = 0 both are −norm·g at d = 0). Squared: ga = (2 / divisor)·d·g, gb = −ga.
export function f32PointwiseLossBackward(kind: i32, ga: usize, gb: usize, grad: usize, gradStride: i32, divisor: f32, a: usize, b: usize, param: f32, start: i32, end: i32): void {
  const norm = <f32>1 / divisor;
  for (let i = start; i < end; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(a + o) - load<f32>(b + o);
    const g = load<f32>(grad + (<usize>i * gradStride << 2));
    let ra: f32;
    let rb: f32;
    if (kind == POINTWISE_L1) {
      ra = d > 0 ? g / divisor : d < 0 ? -(g / divisor) : d == 0 ? <f32>0 : d; // sign(NaN) is NaN
      rb = -ra;
    } else if (kind == POINTWISE_SMOOTH_L1) {
      ra = smoothL1Backward(d, g, norm, param);
      rb = smoothL1Backward(-d, g, norm, param);
    } else if (kind == POINTWISE_HUBER) {
      ra = huberBackward(d, g, norm, param);
      rb = huberBackward(-d, g, norm, param);
    } else {
      ra = <f32>2 / divisor * d * g;
      rb = -ra;
    }
    if (ga) store<f32>(ga + o, ra);
    if (gb) store<f32>(gb + o, rb);
  }
}

// @ts-ignore: decorator
@inline
function smoothL1Backward(x: f32, g: f32, norm: f32, beta: f32): f32 {
  return x <= -beta ? -norm * g : x >= beta ? norm * g : norm * x * g / beta;
}

// @ts-ignore: decorator
@inline
function huberBackward(x: f32, g: f32, norm: f32, delta: f32): f32 {
  return x <= -delta ? -norm * g * delta : x >= delta ? norm * g * delta : norm * x * g;
}

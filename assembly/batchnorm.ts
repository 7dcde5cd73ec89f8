// Batch normalisation over NCHW activations, per channel, wasm SIMD (PyTorch's semantics).
//
// Every kernel takes a range [cStart, cEnd) of the C channels, so one call can be split across
// workers. A channel's values are N planes of HW contiguous floats: plane (n, c) starts at float
// (n·C + c)·HW of x. Planes are vectorised along HW with a scalar tail. Per-channel sums run in f64
// (M = N·HW values each), so the statistics do not lose accuracy on large batches.

import { scaleInto } from './norm';

// f32-batchnorm-stats-wasmsimd (training).
//   x [N, C, HW]; mean [C], variance [C] (out): batch mean and biased variance of each channel;
//   runningMean [C], runningVar [C] (in place): r ← (1 − momentum)·r + momentum·batch, the running
//   variance taking the unbiased batch variance (× M / (M − 1)). Needs M = N·HW ≥ 2.
export function f32BatchNormStats(mean: usize, variance: usize, runningMean: usize, runningVar: usize, x: usize, N: i32, C: i32, HW: i32, momentum: f64, cStart: i32, cEnd: i32): void {
  const M = <f64>N * <f64>HW;
  for (let c = cStart; c < cEnd; c++) {
    let sum: f64 = 0;
    for (let n = 0; n < N; n++) sum += planeSum(plane(x, n, c, C, HW), HW);
    const mu = sum / M;
    let squares: f64 = 0;
    for (let n = 0; n < N; n++) squares += planeSquaredDeviations(plane(x, n, c, C, HW), HW, mu);
    const off = <usize>c << 2;
    store<f32>(mean + off, <f32>mu);
    store<f32>(variance + off, <f32>(squares / M));
    store<f32>(runningMean + off, <f32>((1 - momentum) * <f64>load<f32>(runningMean + off) + momentum * mu));
    store<f32>(runningVar + off, <f32>((1 - momentum) * <f64>load<f32>(runningVar + off) + momentum * (squares / (M - 1))));
  }
}

// f32-batchnorm-forward-wasmsimd.
//   y, x [N, C, HW]; mean, variance [C] (the batch statistics in training, the running ones in eval);
//   weight γ, bias β [C], or 0 for γ = 1, β = 0. For channels c in [cStart, cEnd):
//   y = x·a + b with a = γ / sqrt(variance + eps) and b = β − mean·a (a and b computed in f64, then
//   rounded to f32), as PyTorch's CPU kernel does.
export function f32BatchNormForward(y: usize, x: usize, mean: usize, variance: usize, weight: usize, bias: usize, eps: f64, N: i32, C: i32, HW: i32, cStart: i32, cEnd: i32): void {
  for (let c = cStart; c < cEnd; c++) {
    const off = <usize>c << 2;
    const gamma: f64 = weight ? <f64>load<f32>(weight + off) : 1;
    const beta: f64 = bias ? <f64>load<f32>(bias + off) : 0;
    const a = <f32>(gamma / Math.sqrt(<f64>load<f32>(variance + off) + eps));
    const b = <f32>(beta - <f64>load<f32>(mean + off) * <f64>a);
    const splatA = f32x4.splat(a);
    const splatB = f32x4.splat(b);
    for (let n = 0; n < N; n++) {
      const src = plane(x, n, c, C, HW);
      const dst = plane(y, n, c, C, HW);
      let i = 0;
      for (; i + 4 <= HW; i += 4) {
        const o = <usize>i << 2;
        v128.store(dst + o, f32x4.add(f32x4.mul(v128.load(src + o), splatA), splatB));
      }
      for (; i < HW; i++) {
        const o = <usize>i << 2;
        store<f32>(dst + o, load<f32>(src + o) * a + b);
      }
    }
  }
}

// f32-batchnorm-backward-wasmsimd.
//   gradY, x [N, C, HW]; mean, variance [C] as in the forward; weight γ [C] or 0 (γ = 1);
//   gradX [N, C, HW], gradWeight [C], gradBias [C] (out; each may be 0 when not wanted).
//   With invstd = 1/sqrt(variance + eps), x̂ = (x − mean)·invstd and M = N·HW, per channel:
//   gradBias = Σ dy, gradWeight = Σ dy·x̂, and
//   training ≠ 0 (statistics of this batch): gradX = γ·invstd·(dy − Σdy/M − (x − mean)·invstd²·Σ dy·(x − mean)/M);
//   training = 0 (running statistics, constants): gradX = γ·invstd·dy.
export function f32BatchNormBackward(
  gradX: usize, gradWeight: usize, gradBias: usize, gradY: usize, x: usize,
  mean: usize, variance: usize, weight: usize, eps: f64,
  N: i32, C: i32, HW: i32, training: i32, cStart: i32, cEnd: i32,
): void {
  const M = <f64>N * <f64>HW;
  for (let c = cStart; c < cEnd; c++) {
    const off = <usize>c << 2;
    const mu = <f64>load<f32>(mean + off);
    const invstd = 1 / Math.sqrt(<f64>load<f32>(variance + off) + eps);
    const splatMu = f64x2.splat(mu);
    let sumDy: f64 = 0;
    let dot: f64 = 0; // Σ dy·(x − mean)
    for (let n = 0; n < N; n++) {
      const dyp = plane(gradY, n, c, C, HW);
      const xp = plane(x, n, c, C, HW);
      let accDy = f64x2.splat(0);
      let accDot = f64x2.splat(0);
      let i = 0;
      for (; i + 4 <= HW; i += 4) {
        const o = <usize>i << 2;
        const dy = v128.load(dyp + o);
        const xv = v128.load(xp + o);
        const dyLo = f64x2.promote_low_f32x4(dy);
        const dyHi = f64x2.promote_low_f32x4(v128.shuffle<f32>(dy, dy, 2, 3, 2, 3));
        const xLo = f64x2.sub(f64x2.promote_low_f32x4(xv), splatMu);
        const xHi = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(xv, xv, 2, 3, 2, 3)), splatMu);
        accDy = f64x2.add(accDy, f64x2.add(dyLo, dyHi));
        accDot = f64x2.add(accDot, f64x2.add(f64x2.mul(dyLo, xLo), f64x2.mul(dyHi, xHi)));
      }
      sumDy += f64x2.extract_lane(accDy, 0) + f64x2.extract_lane(accDy, 1);
      dot += f64x2.extract_lane(accDot, 0) + f64x2.extract_lane(accDot, 1);
      for (; i < HW; i++) {
        const o = <usize>i << 2;
        const dy = <f64>load<f32>(dyp + o);
        sumDy += dy;
        dot += dy * (<f64>load<f32>(xp + o) - mu);
      }
    }
    if (gradBias) store<f32>(gradBias + off, <f32>sumDy);
    if (gradWeight) store<f32>(gradWeight + off, <f32>(dot * invstd));
    if (!gradX) continue;

    const gamma: f64 = weight ? <f64>load<f32>(weight + off) : 1;
    const s = <f32>(gamma * invstd);
    const k = <f32>(training ? dot * invstd * invstd / M : 0);
    const dm = <f32>(training ? sumDy / M : 0);
    const m32 = <f32>mu;
    const splatS = f32x4.splat(s);
    const splatK = f32x4.splat(k);
    const splatDm = f32x4.splat(dm);
    const splatM32 = f32x4.splat(m32);
    for (let n = 0; n < N; n++) {
      const dyp = plane(gradY, n, c, C, HW);
      const xp = plane(x, n, c, C, HW);
      const gp = plane(gradX, n, c, C, HW);
      let i = 0;
      if (training) {
        for (; i + 4 <= HW; i += 4) {
          const o = <usize>i << 2;
          const centred = f32x4.mul(f32x4.sub(v128.load(xp + o), splatM32), splatK);
          v128.store(gp + o, f32x4.mul(f32x4.sub(f32x4.sub(v128.load(dyp + o), splatDm), centred), splatS));
        }
        for (; i < HW; i++) {
          const o = <usize>i << 2;
          store<f32>(gp + o, (load<f32>(dyp + o) - dm - (load<f32>(xp + o) - m32) * k) * s);
        }
      } else {
        scaleInto(gp, dyp, s, HW);
      }
    }
  }
}

// f32-batchnorm-fold-wasmsimd (an eval-mode batch norm folded into the convolution before it).
//   weight [K, P] (a conv weight, P = C/groups·R·S floats per output channel), bias [K] or 0 (none);
//   gamma, beta, mean, variance [K]; foldedWeight [K, P], foldedBias [K] (out). For channels k in
//   [kStart, kEnd): invstd = 1/sqrt(variance + eps) computed in f64 and rounded to f32, then in f32
//   s = γ·invstd, shift = β − mean·s, foldedWeight = weight·s, foldedBias = bias·s + shift (or shift):
//   one rounding per step, the bits of the same steps done as separate elementwise ops.
export function f32BatchNormFold(
  foldedWeight: usize, foldedBias: usize, weight: usize, bias: usize,
  gamma: usize, beta: usize, mean: usize, variance: usize, eps: f64, P: i32, kStart: i32, kEnd: i32,
): void {
  for (let k = kStart; k < kEnd; k++) {
    const off = <usize>k << 2;
    const invstd = <f32>(1 / Math.sqrt(<f64>load<f32>(variance + off) + eps));
    const s = load<f32>(gamma + off) * invstd;
    const shift = load<f32>(beta + off) - load<f32>(mean + off) * s;
    store<f32>(foldedBias + off, bias ? load<f32>(bias + off) * s + shift : shift);
    scaleInto(foldedWeight + (<usize>k * P << 2), weight + (<usize>k * P << 2), s, P);
  }
}

// The byte address of plane (n, c) of a [N, C, HW] tensor at base.
// @ts-ignore: decorator
@inline
function plane(base: usize, n: i32, c: i32, C: i32, HW: i32): usize {
  return base + ((<usize>n * C + c) * HW << 2);
}

// Σ of HW floats at p, in f64.
function planeSum(p: usize, HW: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= HW; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    acc = f64x2.add(acc, f64x2.add(f64x2.promote_low_f32x4(v), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3))));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < HW; i++) sum += <f64>load<f32>(p + (<usize>i << 2));
  return sum;
}

// Σ (v − mu)² of HW floats at p, in f64.
function planeSquaredDeviations(p: usize, HW: i32, mu: f64): f64 {
  const splatMu = f64x2.splat(mu);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= HW; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    const lo = f64x2.sub(f64x2.promote_low_f32x4(v), splatMu);
    const hi = f64x2.sub(f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)), splatMu);
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < HW; i++) {
    const d = <f64>load<f32>(p + (<usize>i << 2)) - mu;
    sum += d * d;
  }
  return sum;
}

// Vector norms and in-place scaling for gradient clipping (sn.nn.utils.clipGradNorm / clipGradValue).
// x: a dense f32 vector of n values.

import { expF32, logF32 } from './vmath';

// f32-power-sum-wasmsimd: Σ |x[i]|^p over i in [0, n), accumulated in f64, for p > 0; for p = ∞
// (any p > 3.4e38) the maximum |x[i]| instead. NaN anywhere gives NaN. p = 1 and p = 2 run SIMD.
export function f32PowerSum(x: usize, n: i32, p: f64): f64 {
  let i = 0;
  if (p == Infinity) {
    let m = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) m = f32x4.max(m, f32x4.abs(v128.load(x + (<usize>i << 2)))); // wasm max keeps NaN
    let s = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
    for (; i < n; i++) s = max(s, abs(load<f32>(x + (<usize>i << 2))));
    return <f64>s;
  }
  if (p == 1 || p == 2) {
    let acc = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      let v = v128.load(x + (<usize>i << 2));
      v = p == 2 ? f32x4.mul(v, v) : f32x4.abs(v);
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3)));
    }
    let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; i < n; i++) {
      const v = <f64>load<f32>(x + (<usize>i << 2));
      sum += p == 2 ? v * v : Math.abs(v);
    }
    return sum;
  }
  // Other p: |x|^p = exp(p·log|x|) in f32, as PyTorch's f32 norm (vmath's exp and log, a few ulps;
  // exp(−∞) = 0, so zeros add nothing). Math.pow would add 8 KB of wasm for this rare case.
  const pf = <f32>p;
  let sum: f64 = 0;
  for (; i < n; i++) sum += <f64>expF32(pf * logF32(abs(load<f32>(x + (<usize>i << 2)))));
  return sum;
}

// x^y = exp(y·log x) in f32 precision (vmath's exp and log, the same bits in every engine): the p-th
// root of a norm and the p-th power of one.
export function f32Pow(x: f64, y: f64): f64 {
  return <f64>expF32(<f32>y * logF32(<f32>x));
}

// f32-scale-wasmsimd: x[i] ← alpha · x[i] for i in [0, n), in place.
export function f32Scale(x: usize, alpha: f32, n: i32): void {
  scaleInto(x, x, alpha, n);
}

// dst[i] ← alpha · src[i] for i in [0, n) (dst may be src).
export function scaleInto(dst: usize, src: usize, alpha: f32, n: i32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(dst + off, f32x4.mul(v128.load(src + off), a));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(dst + off, load<f32>(src + off) * alpha);
  }
}

// f32-clamp-wasmsimd: x[i] ← min(max(x[i], lo), hi) for i in [0, n), in place; NaN stays NaN (as
// torch.clamp). pmax/pmin with x first return x when the comparison fails, so NaN passes through.
export function f32Clamp(x: usize, lo: f32, hi: f32, n: i32): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(x + off, f32x4.pmin(f32x4.pmax(v128.load(x + off), l), h));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    let v = load<f32>(x + off);
    v = v < lo ? lo : v; // pmax(v, lo) = v < lo ? lo : v
    v = hi < v ? hi : v; // pmin(v, hi) = hi < v ? hi : v
    store<f32>(x + off, v);
  }
}

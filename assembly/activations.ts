// The smooth and piecewise-linear activations of the unary kernels (elementwise.ts): SiLU, GELU (erf
// and tanh forms), ReLU (also conv2dForward's fused one), Hardswish, Hardsigmoid, ReLU6 and their gradients. Each is an f32x4 function and
// its scalar twin doing the same f32 operations in the same order, so an element's result does not
// depend on where it falls in a row. Formulas and operation order follow PyTorch 1.13's CPU kernels.
import { erfcF32, erfcF32x4, expF32, expF32x4, tanhF32, tanhF32x4 } from './vmath';

const MINUS_SQRT1_2: f32 = -0.7071067811865476; // −1/√2
const INV_SQRT_2PI: f32 = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI: f32 = 0.7978845608028654; // √(2/π)
const KAPPA: f32 = 0.044715;
const THREE_KAPPA: f32 = 3 * KAPPA;
const ONE_SIXTH: f32 = 1.0 / 6;

// ---------------------------------------------------------------------------------------------
// SiLU: x / (1 + e⁻ˣ); gradient g·s·(1 + x·(1 − s)) with s = 1 / (1 + e⁻ˣ).

// @ts-ignore: decorator
@inline
export function siluF32x4(x: v128): v128 {
  return f32x4.div(x, f32x4.add(f32x4.splat(1), expF32x4(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
export function siluF32(x: f32): f32 {
  return x / (1 + expF32(-x));
}

// @ts-ignore: decorator
@inline
export function siluGradF32x4(g: v128, x: v128): v128 {
  const one = f32x4.splat(1);
  const s = f32x4.div(one, f32x4.add(one, expF32x4(f32x4.neg(x))));
  return f32x4.mul(f32x4.mul(g, s), f32x4.add(one, f32x4.mul(x, f32x4.sub(one, s))));
}

// @ts-ignore: decorator
@inline
export function siluGradF32(g: f32, x: f32): f32 {
  const s: f32 = 1 / (1 + expF32(-x));
  return (g * s) * (1 + x * (1 - s));
}

// ---------------------------------------------------------------------------------------------
// GELU, exact: x·Φ(x) with the normal CDF Φ(x) = ½·(1 + erf(x/√2)), computed as ½·erfc(−x/√2) so the
// negative tail does not cancel; gradient g·(Φ(x) + x·e^(−x²/2)/√(2π)).

// @ts-ignore: decorator
@inline
export function geluF32x4(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), erfcF32x4(f32x4.mul(x, f32x4.splat(MINUS_SQRT1_2))));
}

// @ts-ignore: decorator
@inline
export function geluF32(x: f32): f32 {
  return (x * 0.5) * erfcF32(x * MINUS_SQRT1_2);
}

// @ts-ignore: decorator
@inline
export function geluGradF32x4(g: v128, x: v128): v128 {
  const cdf = f32x4.mul(f32x4.splat(0.5), erfcF32x4(f32x4.mul(x, f32x4.splat(MINUS_SQRT1_2))));
  const pdf = f32x4.mul(f32x4.splat(INV_SQRT_2PI), expF32x4(f32x4.mul(f32x4.mul(x, x), f32x4.splat(-0.5))));
  return f32x4.mul(g, f32x4.add(cdf, f32x4.mul(x, pdf)));
}

// @ts-ignore: decorator
@inline
export function geluGradF32(g: f32, x: f32): f32 {
  const cdf: f32 = 0.5 * erfcF32(x * MINUS_SQRT1_2);
  const pdf: f32 = INV_SQRT_2PI * expF32((x * x) * -0.5);
  return g * (cdf + x * pdf);
}

// ---------------------------------------------------------------------------------------------
// GELU, tanh form: (½·x)·(1 + tanh(u)) with u = √(2/π)·(x + κ·x³), κ = 0.044715; gradient
// g·(½·(1 + tanh u) + (½·x)·(1 − tanh² u)·√(2/π)·(1 + 3κ·x²)).

// @ts-ignore: decorator
@inline
export function geluTanhF32x4(x: v128): v128 {
  const cube = f32x4.mul(f32x4.mul(x, x), x);
  const inner = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(x, f32x4.mul(f32x4.splat(KAPPA), cube)));
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(f32x4.splat(1), tanhF32x4(inner)));
}

// @ts-ignore: decorator
@inline
export function geluTanhF32(x: f32): f32 {
  const inner = SQRT_2_OVER_PI * (x + KAPPA * ((x * x) * x));
  return (<f32>0.5 * x) * (1 + tanhF32(inner));
}

// @ts-ignore: decorator
@inline
export function geluTanhGradF32x4(g: v128, x: v128): v128 {
  const one = f32x4.splat(1);
  const half = f32x4.splat(0.5);
  const square = f32x4.mul(x, x);
  const cube = f32x4.mul(square, x);
  const t = tanhF32x4(f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(x, f32x4.mul(f32x4.splat(KAPPA), cube))));
  const left = f32x4.mul(half, x);
  const leftDerivative = f32x4.mul(half, f32x4.add(one, t));
  const innerDerivative = f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), f32x4.add(one, f32x4.mul(f32x4.splat(THREE_KAPPA), square)));
  const rightDerivative = f32x4.mul(f32x4.mul(left, f32x4.sub(one, f32x4.mul(t, t))), innerDerivative);
  return f32x4.mul(g, f32x4.add(leftDerivative, rightDerivative));
}

// @ts-ignore: decorator
@inline
export function geluTanhGradF32(g: f32, x: f32): f32 {
  const square = x * x;
  const t = tanhF32(SQRT_2_OVER_PI * (x + KAPPA * (square * x)));
  const left: f32 = 0.5 * x;
  const leftDerivative: f32 = 0.5 * (1 + t);
  const innerDerivative: f32 = SQRT_2_OVER_PI * (1 + THREE_KAPPA * square);
  return g * (leftDerivative + (left * (1 - t * t)) * innerDerivative);
}

// ---------------------------------------------------------------------------------------------
// ReLU: 0 below 0, x otherwise, so NaN and −0 pass unchanged (as in PyTorch). Also conv2dForward's
// fused ReLU and the masked max-pool gradient (pool2d.ts).

// @ts-ignore: decorator
@inline
export function reluF32x4(x: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.bitselect(zero, x, f32x4.lt(x, zero));
}

// @ts-ignore: decorator
@inline
export function reluF32(x: f32): f32 {
  return x < 0 ? 0 : x;
}

// The gradient from the output y: g where y > 0 (and where y is NaN), 0 elsewhere.
// @ts-ignore: decorator
@inline
export function reluGradF32x4(g: v128, y: v128): v128 {
  return v128.andnot(g, f32x4.le(y, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
export function reluGradF32(g: f32, y: f32): f32 {
  return y <= 0 ? 0 : g;
}

// ---------------------------------------------------------------------------------------------
// Piecewise linear: ReLU6 min(max(x, 0), 6); Hardsigmoid min(max(x + 3, 0), 6) / 6; Hardswish
// x·min(max(x + 3, 0), 6) / 6. NaN propagates. Gradients as PyTorch's: ReLU6 passes g where
// 0 < x < 6 (and at NaN); Hardsigmoid g/6 where −3 < x < 3; Hardswish 0 below −3, g·(x/3 + ½) up to 3,
// g above (and at NaN).

// @ts-ignore: decorator
@inline
export function relu6F32x4(x: v128): v128 {
  return f32x4.min(f32x4.max(x, f32x4.splat(0)), f32x4.splat(6));
}

// @ts-ignore: decorator
@inline
export function relu6F32(x: f32): f32 {
  return Mathf.min(Mathf.max(x, 0), 6);
}

// @ts-ignore: decorator
@inline
export function relu6GradF32x4(g: v128, x: v128): v128 {
  return v128.andnot(g, v128.or(f32x4.le(x, f32x4.splat(0)), f32x4.ge(x, f32x4.splat(6))));
}

// @ts-ignore: decorator
@inline
export function relu6GradF32(g: f32, x: f32): f32 {
  return x <= 0 || x >= 6 ? 0 : g;
}

// @ts-ignore: decorator
@inline
export function hardsigmoidF32x4(x: v128): v128 {
  return f32x4.div(relu6F32x4(f32x4.add(x, f32x4.splat(3))), f32x4.splat(6));
}

// @ts-ignore: decorator
@inline
export function hardsigmoidF32(x: f32): f32 {
  return relu6F32(x + 3) / 6;
}

// @ts-ignore: decorator
@inline
export function hardsigmoidGradF32x4(g: v128, x: v128): v128 {
  const inside = v128.and(f32x4.gt(x, f32x4.splat(-3)), f32x4.lt(x, f32x4.splat(3)));
  return v128.and(f32x4.mul(g, f32x4.splat(ONE_SIXTH)), inside);
}

// @ts-ignore: decorator
@inline
export function hardsigmoidGradF32(g: f32, x: f32): f32 {
  return x > -3 && x < 3 ? g * ONE_SIXTH : 0;
}

// @ts-ignore: decorator
@inline
export function hardswishF32x4(x: v128): v128 {
  return f32x4.div(f32x4.mul(x, relu6F32x4(f32x4.add(x, f32x4.splat(3)))), f32x4.splat(6));
}

// @ts-ignore: decorator
@inline
export function hardswishF32(x: f32): f32 {
  return (x * relu6F32(x + 3)) / 6;
}

// @ts-ignore: decorator
@inline
export function hardswishGradF32x4(g: v128, x: v128): v128 {
  const middle = f32x4.mul(g, f32x4.add(f32x4.div(x, f32x4.splat(3)), f32x4.splat(0.5)));
  const upToThree = v128.bitselect(middle, g, f32x4.le(x, f32x4.splat(3)));
  return v128.andnot(upToThree, f32x4.lt(x, f32x4.splat(-3)));
}

// @ts-ignore: decorator
@inline
export function hardswishGradF32(g: f32, x: f32): f32 {
  if (x < -3) return 0;
  return x <= 3 ? g * (x / 3 + 0.5) : g;
}

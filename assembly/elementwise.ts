// Elementwise f32 kernels, wasm SIMD: broadcasting binary arithmetic and unary activations with
// their gradients. Vectorised along the contiguous axis with scalar tails; exp, sigmoid, tanh and log
// use the vectorised functions of vmath.ts, the newer activations those of activations.ts, pow calls
// Mathf per element. Every engine gives the same bits.
//
// The op codes below are mirrored by name order in bindings/elementwise.ts.

import { expF32, expF32x4, logF32, logF32x4, tanhF32, tanhF32x4 } from './vmath';
import {
  geluF32, geluF32x4, geluGradF32, geluGradF32x4, geluTanhF32, geluTanhF32x4, geluTanhGradF32, geluTanhGradF32x4,
  hardsigmoidF32, hardsigmoidF32x4, hardsigmoidGradF32, hardsigmoidGradF32x4, hardswishF32, hardswishF32x4,
  hardswishGradF32, hardswishGradF32x4, relu6F32, relu6F32x4, reluF32, reluF32x4, reluGradF32, reluGradF32x4, relu6GradF32, relu6GradF32x4, siluF32, siluF32x4,
  siluGradF32, siluGradF32x4,
} from './activations';

export const BINARY_ADD: i32 = 0;
export const BINARY_SUB: i32 = 1;
export const BINARY_MUL: i32 = 2;
export const BINARY_DIV: i32 = 3;

export const UNARY_NEG: i32 = 0;
export const UNARY_RELU: i32 = 1;
export const UNARY_LEAKY_RELU: i32 = 2;
export const UNARY_SIGMOID: i32 = 3;
export const UNARY_TANH: i32 = 4;
export const UNARY_EXP: i32 = 5;
export const UNARY_LOG: i32 = 6;
export const UNARY_SQRT: i32 = 7;
export const UNARY_POW: i32 = 8;
export const UNARY_RELU6: i32 = 9;
export const UNARY_SILU: i32 = 10;
export const UNARY_GELU: i32 = 11;
export const UNARY_GELU_TANH: i32 = 12;
export const UNARY_HARDSWISH: i32 = 13;
export const UNARY_HARDSIGMOID: i32 = 14;

/** The largest rank binaryStrided accepts. */
export const BINARY_MAX_RANK: i32 = 8;

// ---------------------------------------------------------------------------------------------
// Binary: out = a ∘ b

// f32-vbinary-wasmsimd: out[i] = a[i·sa] ∘ b[i·sb] for i in [start, end), with strides sa, sb in
// floats (0 repeats one value: the scalar-operand paths). out is dense. SIMD for strides 1 and 0; the
// SIMD and scalar forms give the same bits, so a call can be split across threads.
export function binaryRow(op: i32, out: usize, a: usize, sa: i32, b: usize, sb: i32, start: i32, end: i32): void {
  out += <usize>start << 2;
  a += <usize>(start * sa) << 2;
  b += <usize>(start * sb) << 2;
  binaryRun(op, out, a, sa, b, sb, end - start);
}

/** out[i] = a[i·sa] ∘ b[i·sb] for i in [0, n): one run, dispatched to a loop per op. */
function binaryRun(op: i32, out: usize, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  switch (op) {
    case BINARY_ADD: binaryRowOp(BINARY_ADD, out, a, sa, b, sb, n); break;
    case BINARY_SUB: binaryRowOp(BINARY_SUB, out, a, sa, b, sb, n); break;
    case BINARY_MUL: binaryRowOp(BINARY_MUL, out, a, sa, b, sb, n); break;
    default: binaryRowOp(BINARY_DIV, out, a, sa, b, sb, n);
  }
}

// f32-vbinary-strided: out = a ∘ b over a broadcast layout of `rank` dimensions (the bindings merge
// dimensions first). dims, aStrides, bStrides are i32[rank]; out is dense row-major over dims; a and b
// are read at their strides in floats (0 on a broadcast dimension). Only rows [rowStart, rowEnd) are
// written, where a row is one run of the last dimension (rows = product of the leading dims).
export function binaryStrided(
  op: i32, out: usize, a: usize, b: usize,
  rank: i32, dims: usize, aStrides: usize, bStrides: usize,
  rowStart: i32, rowEnd: i32,
): void {
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(dims + last);
  const sa = load<i32>(aStrides + last);
  const sb = load<i32>(bStrides + last);
  for (let row = rowStart; row < rowEnd; row++) {
    // Offsets of this row in a and b, from its coordinates over the leading dimensions.
    let rest = row;
    let offA = 0;
    let offB = 0;
    for (let d = rank - 2; d >= 0; d--) {
      const p = <usize>d << 2;
      const size = load<i32>(dims + p);
      const coord = rest % size;
      rest /= size;
      offA += coord * load<i32>(aStrides + p);
      offB += coord * load<i32>(bStrides + p);
    }
    binaryRun(op, out + (<usize>row * n << 2), a + (<usize>offA << 2), sa, b + (<usize>offB << 2), sb, n);
  }
}

// @ts-ignore: decorator
@inline
function binaryV(op: i32, x: v128, y: v128): v128 {
  if (op == BINARY_ADD) return f32x4.add(x, y);
  if (op == BINARY_SUB) return f32x4.sub(x, y);
  if (op == BINARY_MUL) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

// @ts-ignore: decorator
@inline
function binaryS(op: i32, x: f32, y: f32): f32 {
  if (op == BINARY_ADD) return x + y;
  if (op == BINARY_SUB) return x - y;
  if (op == BINARY_MUL) return x * y;
  return x / y;
}

// One row for a constant op (inlined per op so the op test folds away).
// @ts-ignore: decorator
@inline
function binaryRowOp(op: i32, out: usize, a: usize, sa: i32, b: usize, sb: i32, n: i32): void {
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(out + off, binaryV(op, v128.load(a + off), v128.load(b + off)));
    }
  } else if (sa == 1 && sb == 0) {
    const y = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(out + off, binaryV(op, v128.load(a + off), y));
    }
  } else if (sa == 0 && sb == 1) {
    const x = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(out + off, binaryV(op, x, v128.load(b + off)));
    }
  }
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), binaryS(op, load<f32>(a + (<usize>(i * sa) << 2)), load<f32>(b + (<usize>(i * sb) << 2))));
  }
}

// ---------------------------------------------------------------------------------------------
// Unary: out = f(x), and its gradient

// f32-vunary: out[i] = f(x[i]) for i in [start, end); out and x are dense f32 arrays (may alias).
// `param` is leakyRelu's negative slope or pow's exponent. NaN and −0 pass relu unchanged, as in
// PyTorch. A range's elements get the same bits as in a whole call (SIMD and scalar forms agree), so
// a call can be split across threads.
export function unaryForward(op: i32, out: usize, x: usize, param: f32, start: i32, end: i32): void {
  out += <usize>start << 2;
  x += <usize>start << 2;
  const n = end - start;
  const p = f32x4.splat(param);
  const zero = f32x4.splat(0);
  let i = 0;
  switch (op) {
    case UNARY_NEG:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, f32x4.neg(v128.load(x + o))); }
      break;
    case UNARY_RELU:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, reluF32x4(v128.load(x + o))); }
      break;
    case UNARY_LEAKY_RELU:
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        const v = v128.load(x + o);
        v128.store(out + o, v128.bitselect(v, f32x4.mul(v, p), f32x4.gt(v, zero)));
      }
      break;
    case UNARY_SQRT:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, f32x4.sqrt(v128.load(x + o))); }
      break;
    case UNARY_RELU6:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, relu6F32x4(v128.load(x + o))); }
      break;
    case UNARY_HARDSWISH:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, hardswishF32x4(v128.load(x + o))); }
      break;
    case UNARY_HARDSIGMOID:
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, hardsigmoidF32x4(v128.load(x + o))); }
      break;
    // exp is a long dependency chain: four independent vectors per step let the CPU overlap them.
    case UNARY_EXP:
    case UNARY_SIGMOID:
    case UNARY_TANH:
    case UNARY_LOG:
    case UNARY_SILU:
    case UNARY_GELU:
    case UNARY_GELU_TANH:
      for (; i + 16 <= n; i += 16) {
        const o = <usize>i << 2;
        const y0 = transcendentalF32x4(op, v128.load(x + o));
        const y1 = transcendentalF32x4(op, v128.load(x + o, 16));
        const y2 = transcendentalF32x4(op, v128.load(x + o, 32));
        const y3 = transcendentalF32x4(op, v128.load(x + o, 48));
        v128.store(out + o, y0);
        v128.store(out + o, y1, 16);
        v128.store(out + o, y2, 32);
        v128.store(out + o, y3, 48);
      }
      for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, transcendentalF32x4(op, v128.load(x + o))); }
      break;
    case UNARY_POW:
      if (param == 2 || param == 3 || param == 0.5 || param == -1) {
        for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, powF32x4(v128.load(x + o), param)); }
      }
      break;
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryS(op, load<f32>(x + o), param));
  }
}

/**
 * exp, sigmoid (1 / (1 + e⁻ˣ); e⁻ˣ overflows to Infinity below x = −88.7, giving 0, as in PyTorch),
 * tanh, log, SiLU or GELU in each lane.
 */
// @ts-ignore: decorator
@inline
function transcendentalF32x4(op: i32, v: v128): v128 {
  if (op == UNARY_TANH) return tanhF32x4(v);
  if (op == UNARY_LOG) return logF32x4(v);
  if (op == UNARY_EXP) return expF32x4(v);
  if (op == UNARY_SILU) return siluF32x4(v);
  if (op == UNARY_GELU) return geluF32x4(v);
  if (op == UNARY_GELU_TANH) return geluTanhF32x4(v);
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expF32x4(f32x4.neg(v))));
}

// @ts-ignore: decorator
@inline
function unaryS(op: i32, v: f32, param: f32): f32 {
  switch (op) {
    case UNARY_NEG: return -v;
    case UNARY_RELU: return reluF32(v);
    case UNARY_LEAKY_RELU: return v > 0 ? v : v * param;
    case UNARY_SIGMOID: return 1 / (1 + expF32(-v));
    case UNARY_TANH: return tanhF32(v);
    case UNARY_EXP: return expF32(v);
    case UNARY_LOG: return logF32(v);
    case UNARY_SQRT: return Mathf.sqrt(v);
    case UNARY_RELU6: return relu6F32(v);
    case UNARY_SILU: return siluF32(v);
    case UNARY_GELU: return geluF32(v);
    case UNARY_GELU_TANH: return geluTanhF32(v);
    case UNARY_HARDSWISH: return hardswishF32(v);
    case UNARY_HARDSIGMOID: return hardsigmoidF32(v);
    default: return powF32(v, param);
  }
}

// xᵖ with PyTorch's exact special cases (x·x, x·x·x, √x, 1/x, 1/√x, 1/(x·x)); Mathf.pow otherwise.
// @ts-ignore: decorator
@inline
function powF32(v: f32, p: f32): f32 {
  if (p == 2) return v * v;
  if (p == 3) return (v * v) * v;
  if (p == 0.5) return Mathf.sqrt(v);
  if (p == -1) return 1 / v;
  if (p == -0.5) return 1 / Mathf.sqrt(v);
  if (p == -2) return 1 / (v * v);
  if (p == 1) return v;
  return Mathf.pow(v, p);
}

// powF32 for the exponents 2, 3, 0.5 and −1, in each lane.
// @ts-ignore: decorator
@inline
function powF32x4(v: v128, p: f32): v128 {
  if (p == 2) return f32x4.mul(v, v);
  if (p == 3) return f32x4.mul(f32x4.mul(v, v), v);
  if (p == 0.5) return f32x4.sqrt(v);
  return f32x4.div(f32x4.splat(1), v);
}

// f32-vunary-backward: gx[i] = gy[i] · f'(…) for i in [start, end); gx, gy, saved are dense f32 arrays (gx may
// alias gy). `saved` is the op's output y for relu, sigmoid, tanh, exp and sqrt (f' is a function of
// y), its input x for leakyRelu, log, pow, relu6, silu, gelu, geluTanh, hardswish and hardsigmoid, and
// unused for neg.
export function unaryBackward(op: i32, gx: usize, gy: usize, saved: usize, param: f32, start: i32, end: i32): void {
  gx += <usize>start << 2;
  gy += <usize>start << 2;
  saved += <usize>start << 2;
  const n = end - start;
  const p = f32x4.splat(param);
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(gy + o);
    const s = v128.load(saved + o);
    let r: v128;
    switch (op) {
      case UNARY_NEG: r = f32x4.neg(g); break;
      // PyTorch's threshold_backward: zero where y <= 0 (NaN passes the gradient through).
      case UNARY_RELU: r = reluGradF32x4(g, s); break;
      case UNARY_LEAKY_RELU: r = v128.bitselect(g, f32x4.mul(g, p), f32x4.gt(s, zero)); break;
      case UNARY_SIGMOID: r = f32x4.mul(f32x4.mul(g, f32x4.sub(one, s)), s); break;
      case UNARY_TANH: r = f32x4.mul(g, f32x4.sub(one, f32x4.mul(s, s))); break;
      case UNARY_EXP: r = f32x4.mul(g, s); break;
      case UNARY_LOG: r = f32x4.div(g, s); break;
      case UNARY_SQRT: r = f32x4.div(g, f32x4.mul(two, s)); break;
      case UNARY_RELU6: r = relu6GradF32x4(g, s); break;
      case UNARY_SILU: r = siluGradF32x4(g, s); break;
      case UNARY_GELU: r = geluGradF32x4(g, s); break;
      case UNARY_GELU_TANH: r = geluTanhGradF32x4(g, s); break;
      case UNARY_HARDSWISH: r = hardswishGradF32x4(g, s); break;
      case UNARY_HARDSIGMOID: r = hardsigmoidGradF32x4(g, s); break;
      default:
        if (param != 2) return unaryBackwardTail(op, gx, gy, saved, i, n, param);
        r = f32x4.mul(g, f32x4.mul(two, s));
    }
    v128.store(gx + o, r);
  }
  unaryBackwardTail(op, gx, gy, saved, i, n, param);
}

// The scalar path of unaryBackward for elements [start, n).
function unaryBackwardTail(op: i32, gx: usize, gy: usize, saved: usize, start: i32, n: i32, param: f32): void {
  for (let i = start; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(gy + o);
    const s = load<f32>(saved + o);
    let r: f32;
    switch (op) {
      case UNARY_NEG: r = -g; break;
      case UNARY_RELU: r = reluGradF32(g, s); break;
      case UNARY_LEAKY_RELU: r = s > 0 ? g : g * param; break;
      case UNARY_SIGMOID: r = g * (1 - s) * s; break;
      case UNARY_TANH: r = g * (1 - s * s); break;
      case UNARY_EXP: r = g * s; break;
      case UNARY_LOG: r = g / s; break;
      case UNARY_SQRT: r = g / (2 * s); break;
      case UNARY_RELU6: r = relu6GradF32(g, s); break;
      case UNARY_SILU: r = siluGradF32(g, s); break;
      case UNARY_GELU: r = geluGradF32(g, s); break;
      case UNARY_GELU_TANH: r = geluTanhGradF32(g, s); break;
      case UNARY_HARDSWISH: r = hardswishGradF32(g, s); break;
      case UNARY_HARDSIGMOID: r = hardsigmoidGradF32(g, s); break;
      default: r = param == 0 ? 0 : g * (param * powF32(s, param - 1)); // PyTorch's pow_backward
    }
    store<f32>(gx + o, r);
  }
}

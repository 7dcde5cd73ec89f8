// Vectorised f32 exp, for every kernel that needs many exponentials (activations, softmax).
//
// exp(x) = 2ⁿ · eʳ with n = x·log₂e rounded to nearest (by adding 1.5·2²³, which leaves n in the low
// mantissa bits: no conversion instructions) and r = x − n·ln2 (Cody–Waite: ln2 split in a short
// high part, exact in n·LN2_HI, and a low part), |r| ≤ ln2/2; eʳ by its Taylor polynomial of degree
// 7 (truncation ≤ 5e-9 relative); 2ⁿ applied as two halves 2^⌊n/2⌋ · 2^(n−⌊n/2⌋), each a normal
// float, so results that are subnormal round once, correctly. Full range: x ≥ 89 gives +Infinity,
// x ≤ −104 gives 0 (−Infinity too), NaN stays NaN. Error ≤ 2 ulp. The scalar twin does the same
// f32 operations in the same order, so a value's result does not depend on its place in a row.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693145751953125; // 16 significant bits: n·LN2_HI is exact for |n| ≤ 2⁸
const LN2_LO: f32 = 1.42860682030941723e-6;
const X_MAX: f32 = 89; // e⁸⁹ > f32 max
const X_MIN: f32 = -104; // e⁻¹⁰⁴ < half the least subnormal
const ROUND: f32 = 12582912; // 1.5·2²³: x + ROUND rounds x to an integer, kept in the low bits
const ROUND_BITS: i32 = 0x4b400000;
const C2: f32 = 1.0 / 2;
const C3: f32 = 1.0 / 6;
const C4: f32 = 1.0 / 24;
const C5: f32 = 1.0 / 120;
const C6: f32 = 1.0 / 720;
const C7: f32 = 1.0 / 5040;

/** eˣ in each lane. */
// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  // pmin/pmax (one instruction each) return their first operand when it is NaN: NaN stays NaN.
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(X_MAX)), f32x4.splat(X_MIN));
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUND));
  const n = f32x4.sub(t, f32x4.splat(ROUND));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(C7), r), f32x4.splat(C6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(C2));
  p = f32x4.add(f32x4.mul(f32x4.mul(p, r), r), f32x4.add(r, f32x4.splat(1)));
  const ni = i32x4.sub(t, i32x4.splat(ROUND_BITS)); // garbage for NaN, where p is NaN already
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** eˣ, bit-identical to one lane of expF32x4. */
// @ts-ignore: decorator
@inline
export function expF32(x: f32): f32 {
  x = Mathf.max(Mathf.min(x, X_MAX), X_MIN); // NaN stays NaN
  const t = x * LOG2E + ROUND;
  const n = t - ROUND;
  const r = (x - n * LN2_HI) - n * LN2_LO;
  let p = C7 * r + C6;
  p = p * r + C5;
  p = p * r + C4;
  p = p * r + C3;
  p = p * r + C2;
  p = (p * r) * r + (r + 1);
  const ni = reinterpret<i32>(t) - ROUND_BITS;
  const n1 = ni >> 1;
  const n2 = ni - n1;
  return (p * reinterpret<f32>((n1 + 127) << 23)) * reinterpret<f32>((n2 + 127) << 23);
}

// tanh: below |x| = 0.625 the odd polynomial |x| + |x|³·P(x²) (least-squares fit, ≤ 0.9 ulp there);
// above it 1 − 2/(e^{2|x|} + 1), whose cancellation costs at most a bit. The sign of x is put back
// last, so tanh(−0) = −0; ±Infinity give ±1 and NaN stays NaN.
const TANH_SMALL: f32 = 0.625;
const T0: f32 = -0.33333292603492737;
const T1: f32 = 0.13331718742847443;
const T2: f32 = -0.053763799369335175;
const T3: f32 = 0.020720280706882477;
const T4: f32 = -0.0057981000281870365;

/** tanh(x) in each lane. */
// @ts-ignore: decorator
@inline
export function tanhF32x4(x: v128): v128 {
  const one = f32x4.splat(1);
  const ax = f32x4.abs(x);
  const x2 = f32x4.mul(ax, ax);
  let p = f32x4.add(f32x4.mul(f32x4.splat(T4), x2), f32x4.splat(T3));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(T2));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(T1));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(T0));
  const small = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, x2), p));
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(expF32x4(f32x4.add(ax, ax)), one)));
  const magnitude = v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(TANH_SMALL)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
}

/** tanh(x), bit-identical to one lane of tanhF32x4. */
// @ts-ignore: decorator
@inline
export function tanhF32(x: f32): f32 {
  const ax = Mathf.abs(x);
  const x2 = ax * ax;
  let p = T4 * x2 + T3;
  p = p * x2 + T2;
  p = p * x2 + T1;
  p = p * x2 + T0;
  const magnitude = ax < TANH_SMALL ? ax + (ax * x2) * p : <f32>1 - <f32>2 / (expF32(ax + ax) + 1);
  return reinterpret<f32>(reinterpret<i32>(magnitude) | (reinterpret<i32>(x) & 0x80000000));
}

// log (the method of musl's logf): x = 2ᵉ·m with m in [√½, √2) (subnormal x scaled by 2²³ first),
// f = m − 1, s = f/(2 + f); log m = f − f²/2 + s·(f²/2 + R(s²)) with R a minimax polynomial; then
// e·ln2 added in two parts. ≤ 1 ulp. log(0) = −Infinity, log(+Infinity) = +Infinity, log(x < 0) and
// log(NaN) = NaN, as in PyTorch.
const SQRT2: f32 = 1.41421356237309505;
const MIN_NORMAL: f32 = 1.17549435e-38;
const LOG_LN2_HI: f32 = 6.9313812256e-01;
const LOG_LN2_LO: f32 = 9.0580006145e-06;
const LG1: f32 = 0.66666662693;
const LG2: f32 = 0.40000972152;
const LG3: f32 = 0.28498786688;
const LG4: f32 = 0.24279078841;

/** log(x) in each lane. */
// @ts-ignore: decorator
@inline
export function logF32x4(x: v128): v128 {
  const subnormal = f32x4.lt(x, f32x4.splat(MIN_NORMAL));
  const bits = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608)), x, subnormal); // · 2²³
  let e = i32x4.sub(i32x4.shr_u(bits, 23), v128.bitselect(i32x4.splat(150), i32x4.splat(127), subnormal));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f800000)); // [1, 2)
  const high = f32x4.gt(m, f32x4.splat(SQRT2));
  m = v128.bitselect(f32x4.mul(m, f32x4.splat(0.5)), m, high);
  e = i32x4.sub(e, high); // true lanes are −1
  const f = f32x4.sub(m, f32x4.splat(1));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const r = f32x4.add(
    f32x4.mul(z, f32x4.add(f32x4.splat(LG1), f32x4.mul(w, f32x4.splat(LG3)))),
    f32x4.mul(w, f32x4.add(f32x4.splat(LG2), f32x4.mul(w, f32x4.splat(LG4)))),
  );
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  const k = f32x4.convert_i32x4_s(e);
  let y = f32x4.add(f32x4.mul(s, f32x4.add(hfsq, r)), f32x4.mul(k, f32x4.splat(LOG_LN2_LO)));
  y = f32x4.add(f32x4.add(f32x4.sub(y, hfsq), f), f32x4.mul(k, f32x4.splat(LOG_LN2_HI)));
  y = v128.bitselect(f32x4.splat(-Infinity), y, f32x4.eq(x, f32x4.splat(0)));
  y = v128.bitselect(x, y, f32x4.eq(x, f32x4.splat(Infinity)));
  return v128.bitselect(f32x4.splat(NaN), y, v128.or(f32x4.lt(x, f32x4.splat(0)), f32x4.ne(x, x)));
}

/** log(x), bit-identical to one lane of logF32x4. */
// @ts-ignore: decorator
@inline
export function logF32(x: f32): f32 {
  if (x != x || x < 0) return NaN;
  if (x == 0) return -Infinity;
  if (x == Infinity) return Infinity;
  const subnormal = x < MIN_NORMAL;
  const bits = reinterpret<i32>(subnormal ? x * 8388608 : x);
  let e = (<i32>(<u32>bits >> 23)) - (subnormal ? 150 : 127);
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f800000);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * LG3) + w * (LG2 + w * LG4);
  const hfsq = (<f32>0.5 * f) * f;
  const k = <f32>e;
  const y = s * (hfsq + r) + k * LOG_LN2_LO;
  return ((y - hfsq) + f) + k * LOG_LN2_HI;
}

// erfc, the complementary error function (Numerical Recipes' erfcc, after Press et al.): for z = |x|,
// t = 1/(1 + z/2) and erfc(z) = t·exp(−z² − 1.26551223 + t·P(t)) with P of degree 9 (fractional
// error below 1.2e-7 in exact arithmetic); erfc(x) = 2 − erfc(−x) below 0. Being relative, the error
// stays small where erfc is tiny, so GELU = ½·x·erfc(−x/√2) keeps its far negative tail (where
// 1 + erf(x) would cancel). Evaluated in f32: within 2e-6 relative for |x| ≤ 3.5 (the rounding of z²
// dominates further out). erfc(+Infinity) = 0, erfc(−Infinity) = 2, NaN stays NaN.
const ERFC_C0: f32 = -1.26551223;
const ERFC_C1: f32 = 1.00002368;
const ERFC_C2: f32 = 0.37409196;
const ERFC_C3: f32 = 0.09678418;
const ERFC_C4: f32 = -0.18628806;
const ERFC_C5: f32 = 0.27886807;
const ERFC_C6: f32 = -1.13520398;
const ERFC_C7: f32 = 1.48851587;
const ERFC_C8: f32 = -0.82215223;
const ERFC_C9: f32 = 0.17087277;

/** erfc(x) in each lane. */
// @ts-ignore: decorator
@inline
export function erfcF32x4(x: v128): v128 {
  const one = f32x4.splat(1);
  const z = f32x4.abs(x);
  const t = f32x4.div(one, f32x4.add(one, f32x4.mul(f32x4.splat(0.5), z)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(ERFC_C9), t), f32x4.splat(ERFC_C8));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C7));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C6));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C5));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C4));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C3));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C2));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(ERFC_C1));
  const exponent = f32x4.add(f32x4.add(f32x4.neg(f32x4.mul(z, z)), f32x4.splat(ERFC_C0)), f32x4.mul(t, p));
  const upper = f32x4.mul(t, expF32x4(exponent));
  return v128.bitselect(f32x4.sub(f32x4.splat(2), upper), upper, f32x4.lt(x, f32x4.splat(0)));
}

/** erfc(x), bit-identical to one lane of erfcF32x4. */
// @ts-ignore: decorator
@inline
export function erfcF32(x: f32): f32 {
  const z = Mathf.abs(x);
  const t: f32 = 1 / (1 + <f32>0.5 * z);
  let p = ERFC_C9 * t + ERFC_C8;
  p = p * t + ERFC_C7;
  p = p * t + ERFC_C6;
  p = p * t + ERFC_C5;
  p = p * t + ERFC_C4;
  p = p * t + ERFC_C3;
  p = p * t + ERFC_C2;
  p = p * t + ERFC_C1;
  const upper = t * expF32((-(z * z) + ERFC_C0) + t * p);
  return x < 0 ? 2 - upper : upper;
}

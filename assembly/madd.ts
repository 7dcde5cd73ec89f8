// c + a·b on four f32 lanes, the one multiply-add every hot kernel is written with, so that each kernel
// has one source for both builds (asconfig.json and asconfig.relaxed.json):
//   portable SIMD128 build: f32x4.add(c, f32x4.mul(a, b)), two roundings, the same bits in every engine;
//   relaxed-SIMD build:     f32x4.relaxed_madd(a, b, c), one fused instruction (vfmadd on x86-64 with
//                           FMA3, fmla on ARM64) or, where the engine cannot fuse, mul then add.
// ASC_FEATURE_RELAXED_SIMD is a compile-time constant: only one branch is compiled into each build.

// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Whether madd rounds once, for sn.kernelInfo(): madd(a, a, c) with a = 1 + 2⁻¹² and c = −(1 + 2⁻¹¹)
 * is 2⁻²⁴ when fused and 0 when a·a is rounded first (to 1 + 2⁻¹¹, the tie going to even). The
 * values come as arguments, so nothing is folded at compile time. Returns 1 or 0.
 */
export function maddFuses(a: f32, c: f32): i32 {
  const r = madd(f32x4.splat(a), f32x4.splat(a), f32x4.splat(c));
  return f32x4.extract_lane(r, 0) != 0 ? 1 : 0;
}

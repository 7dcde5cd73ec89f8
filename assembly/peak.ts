// Measures this machine's wasm SIMD f32 peak: thirteen independent chains c = madd(c, m, c) = c + c·m,
// and no memory traffic. One iteration is 13 × 8 = 104 flops. In the portable build madd is a mul
// then an add (no FMA in SIMD128): 13 chains are more than the mul→add latency × f32x4 ops per cycle
// needs, so the ports, not the latency, set the pace. In the relaxed-SIMD build it is one fused
// multiply-add (4-cycle latency × 2 FMA pipes on x86-64 needs 8 chains): the FMA peak, the yardstick
// of the relaxed kernels. The caller passes m (tiny, so values stay normal) and receives a value that
// depends on every chain, so nothing can be optimised away.
//
// Tried on Node 20 (V8 11.3, x64): V8 allocates 15 xmm registers, so 13 chains + m + one product is
// the most that fits (14 chains spill). m is splatted through memory (16 bytes at `scratch`, the
// caller's, so that every thread can run the probe at once) before the loop: a splat of the
// parameter is re-emitted inside the loop, a wasted shuffle each trip that cost ~10 % of the figure.
import { madd } from './madd';

export const SIMD_PEAK_FLOPS_PER_ITERATION: i32 = 104;

export function simdPeak(iterations: i32, m: f32, scratch: usize): f32 {
  v128.store(scratch, f32x4.splat(m));
  const v = v128.load(scratch);
  let c0 = f32x4.splat(0.10), c1 = f32x4.splat(0.11), c2 = f32x4.splat(0.12), c3 = f32x4.splat(0.13);
  let c4 = f32x4.splat(0.14), c5 = f32x4.splat(0.15), c6 = f32x4.splat(0.16), c7 = f32x4.splat(0.17);
  let c8 = f32x4.splat(0.18), c9 = f32x4.splat(0.19), ca = f32x4.splat(0.20), cb = f32x4.splat(0.21);
  let cc = f32x4.splat(0.22);
  for (let i = 0; i < iterations; i++) {
    c0 = madd(c0, v, c0); c1 = madd(c1, v, c1);
    c2 = madd(c2, v, c2); c3 = madd(c3, v, c3);
    c4 = madd(c4, v, c4); c5 = madd(c5, v, c5);
    c6 = madd(c6, v, c6); c7 = madd(c7, v, c7);
    c8 = madd(c8, v, c8); c9 = madd(c9, v, c9);
    ca = madd(ca, v, ca); cb = madd(cb, v, cb);
    cc = madd(cc, v, cc);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3)), f32x4.add(f32x4.add(c4, c5), f32x4.add(c6, c7))),
    f32x4.add(f32x4.add(f32x4.add(c8, c9), f32x4.add(ca, cb)), cc));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}

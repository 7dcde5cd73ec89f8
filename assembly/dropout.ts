// Dropout kernels, wasm SIMD. The random bits come from the library's seeded generator (integer
// arithmetic in JS); turning them into a mask is an integer comparison, so every engine gives the
// same mask bit for bit.

// u32-f32-dropout-mask-wasmsimd, in place over `mask`, for i in [start, end):
//   on entry mask[i] holds a uniformly random u32; on exit the f32 mask[i] = bits ≥ threshold ? scale : 0.
//   An element is dropped with probability threshold / 2³² (threshold is read as unsigned).
export function u32F32DropoutMask(mask: usize, threshold: u32, scale: f32, start: i32, end: i32): void {
  const t = i32x4.splat(threshold);
  const s = f32x4.splat(scale);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const p = mask + (<usize>i << 2);
    v128.store(p, v128.and(s, i32x4.ge_u(v128.load(p), t)));
  }
  for (; i < end; i++) {
    const p = mask + (<usize>i << 2);
    store<f32>(p, load<u32>(p) >= threshold ? scale : 0);
  }
}

// f32-vmul-wasmsimd: out[i] = x[i] · mask[i] for i in [start, end). Applies a dropout mask in the
// forward (x) and the backward (the output gradient). out may be x.
export function f32DropoutApply(out: usize, x: usize, mask: usize, start: i32, end: i32): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, f32x4.mul(v128.load(x + off), v128.load(mask + off)));
  }
  for (; i < end; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, load<f32>(x + off) * load<f32>(mask + off));
  }
}

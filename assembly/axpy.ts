// f32-axpy-wasmsimd: y[i] += alpha · x[i] for i in [0, n). x and y are dense f32 vectors of n values
// (they may be the same buffer). Gradient accumulation and plain updates go through here.
export function axpy(y: usize, x: usize, alpha: f32, n: i32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(y + off, f32x4.add(v128.load(y + off), f32x4.mul(a, v128.load(x + off))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(y + off, load<f32>(y + off) + alpha * load<f32>(x + off));
  }
}

// Optimiser updates with PyTorch 1.13's rules: one fused pass per parameter tensor, in place.
//
// Every buffer is a dense f32 vector of n values. Hyper-parameters arrive as f64, exactly as the
// caller holds them; scalar constants (1 − β, −lr, …) are derived in f64 and rounded to f32 once, as
// PyTorch derives them in Python doubles, then each element is updated in f32 arithmetic in the
// order PyTorch's kernels use (no FMA, so the ts backend reproduces the bits). SIMD body over four
// values, scalar tail. The update is elementwise and an element's arithmetic does not depend on its
// position (the SIMD and scalar forms give the same bits), so each kernel takes an element range
// [start, end) and a call can be split across threads.

// f32-sgd-wasmsimd: one SGD step over the elements [start, end).
//   param [n]  p ← p − lr·d                                  (read and written)
//   grad  [n]  g                                             (read only)
//   buf   [n]  momentum buffer b, or 0 when momentum = 0     (read and written)
//   d₀ = g + weightDecay·p (L2 penalty; skipped when weightDecay = 0).
//   Without a buffer d = d₀. With one: b ← d₀ when first ≠ 0 (the buffer's first step, no
//   dampening), else b ← momentum·b + (1 − dampening)·d₀; then d = d₀ + momentum·b when
//   nesterov ≠ 0, else d = b.
export function sgdStep(
  param: usize, grad: usize, buf: usize,
  lr: f64, momentum: f64, dampening: f64, weightDecay: f64,
  nesterov: i32, first: i32, start: i32, end: i32,
): void {
  const skip = <usize>start << 2;
  param += skip;
  grad += skip;
  if (buf != 0) buf += skip;
  const n = end - start;
  const negLr = <f32>(-lr);
  const mu = <f32>momentum;
  const keep = <f32>(1.0 - dampening);
  const wd = <f32>weightDecay;
  const decay = weightDecay != 0;
  const blend = buf != 0 && first == 0;
  const vNegLr = f32x4.splat(negLr);
  const vMu = f32x4.splat(mu);
  const vKeep = f32x4.splat(keep);
  const vWd = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const p = v128.load(param + off);
    let d = v128.load(grad + off);
    if (decay) d = f32x4.add(d, f32x4.mul(vWd, p));
    if (buf != 0) {
      const b = blend ? f32x4.add(f32x4.mul(v128.load(buf + off), vMu), f32x4.mul(vKeep, d)) : d;
      v128.store(buf + off, b);
      d = nesterov ? f32x4.add(d, f32x4.mul(vMu, b)) : b;
    }
    v128.store(param + off, f32x4.add(p, f32x4.mul(vNegLr, d)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const p = load<f32>(param + off);
    let d = load<f32>(grad + off);
    if (decay) d = d + wd * p;
    if (buf != 0) {
      const b = blend ? load<f32>(buf + off) * mu + keep * d : d;
      store<f32>(buf + off, b);
      d = nesterov ? d + mu * b : b;
    }
    store<f32>(param + off, p + negLr * d);
  }
}

// f32-adam-wasmsimd: one Adam (L2 weight decay) or AdamW (decoupled weight decay) step over the
// elements [start, end).
//   param       [n]  p                                        (read and written)
//   grad        [n]  g                                        (read only)
//   expAvg      [n]  first moment m                           (read and written)
//   expAvgSq    [n]  second moment v                          (read and written)
//   maxExpAvgSq [n]  AMSGrad's running max v̂, or 0 for none   (read and written)
//   In order: p ← paramScale·p (AdamW: 1 − lr·wd; Adam: 1); g' = g + weightDecay·p (Adam's L2;
//   skipped when weightDecay = 0); m ← β1·m + (1 − β1)·g'; v ← β2·v + (1 − β2)·g'·g';
//   v̂ ← max(v̂, v) with AMSGrad, else v̂ = v; p ← p − stepSize·m / (√v̂ / bc2Sqrt + eps), where
//   stepSize = lr / (1 − β1^t) and bc2Sqrt = √(1 − β2^t) at step t.
export function adamStep(
  param: usize, grad: usize, expAvg: usize, expAvgSq: usize, maxExpAvgSq: usize,
  beta1: f64, beta2: f64, eps: f64, weightDecay: f64,
  paramScale: f64, stepSize: f64, bc2Sqrt: f64, start: i32, end: i32,
): void {
  const skip = <usize>start << 2;
  param += skip;
  grad += skip;
  expAvg += skip;
  expAvgSq += skip;
  if (maxExpAvgSq != 0) maxExpAvgSq += skip;
  const n = end - start;
  const b1 = <f32>beta1;
  const c1 = <f32>(1.0 - beta1);
  const b2 = <f32>beta2;
  const c2 = <f32>(1.0 - beta2);
  const e = <f32>eps;
  const wd = <f32>weightDecay;
  const scale = <f32>paramScale;
  const negStep = <f32>(-stepSize);
  const bc2 = <f32>bc2Sqrt;
  const decay = weightDecay != 0;
  const amsgrad = maxExpAvgSq != 0;
  const vB1 = f32x4.splat(b1);
  const vC1 = f32x4.splat(c1);
  const vB2 = f32x4.splat(b2);
  const vC2 = f32x4.splat(c2);
  const vE = f32x4.splat(e);
  const vWd = f32x4.splat(wd);
  const vScale = f32x4.splat(scale);
  const vNegStep = f32x4.splat(negStep);
  const vBc2 = f32x4.splat(bc2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const p = f32x4.mul(v128.load(param + off), vScale);
    let g = v128.load(grad + off);
    if (decay) g = f32x4.add(g, f32x4.mul(vWd, p));
    const m = f32x4.add(f32x4.mul(v128.load(expAvg + off), vB1), f32x4.mul(vC1, g));
    const v = f32x4.add(f32x4.mul(v128.load(expAvgSq + off), vB2), f32x4.mul(f32x4.mul(vC2, g), g));
    v128.store(expAvg + off, m);
    v128.store(expAvgSq + off, v);
    let vHat = v;
    if (amsgrad) {
      vHat = f32x4.max(v128.load(maxExpAvgSq + off), v);
      v128.store(maxExpAvgSq + off, vHat);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vHat), vBc2), vE);
    v128.store(param + off, f32x4.add(p, f32x4.div(f32x4.mul(vNegStep, m), denom)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const p = load<f32>(param + off) * scale;
    let g = load<f32>(grad + off);
    if (decay) g = g + wd * p;
    const m = load<f32>(expAvg + off) * b1 + c1 * g;
    const v = load<f32>(expAvgSq + off) * b2 + c2 * g * g;
    store<f32>(expAvg + off, m);
    store<f32>(expAvgSq + off, v);
    let vHat = v;
    if (amsgrad) {
      vHat = max(load<f32>(maxExpAvgSq + off), v);
      store<f32>(maxExpAvgSq + off, vHat);
    }
    const denom = Mathf.sqrt(vHat) / bc2 + e;
    store<f32>(param + off, p + negStep * m / denom);
  }
}

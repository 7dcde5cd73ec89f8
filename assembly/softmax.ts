// Softmax and log-softmax over one dimension, numerically stable (the maximum is subtracted before
// exp), wasm SIMD. The tensor is viewed as [outer, n, inner] (see reduce.ts); the last-dimension case
// (inner = 1, rows contiguous) is the fast path, the general case strides over n. Only outer rows
// [outerStart, outerEnd) are processed. `log` is 0 for softmax, 1 for log-softmax. exp is the
// vectorised one of vmath.ts.

import { expF32, expF32x4 } from './vmath';

// f32-softmax: y[o, :, i] = softmax(x[o, :, i]) = exp(x − max) / Σ exp(x − max), or for log-softmax
// (x − max) − log Σ exp(x − max). x and y are [outer, n, inner] (may alias only for softmax).
export function softmaxForward(y: usize, x: usize, outer: i32, n: i32, inner: i32, log: i32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const src = x + (<usize>o * n * inner << 2);
    const dst = y + (<usize>o * n * inner << 2);
    if (inner == 1) {
      softmaxRow(dst, src, n, log != 0);
      continue;
    }
    let i = 0;
    for (; i + 4 <= inner; i += 4) softmaxColumns(dst + (<usize>i << 2), src + (<usize>i << 2), n, inner, log != 0);
    for (; i < inner; i++) softmaxStrided(dst + (<usize>i << 2), src + (<usize>i << 2), n, inner, log != 0);
  }
}

// One contiguous row of n values.
function softmaxRow(dst: usize, src: usize, n: i32, log: bool): void {
  let vmax = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 4 <= n; i += 4) vmax = f32x4.max(vmax, v128.load(src + (<usize>i << 2)));
  let max = Mathf.max(Mathf.max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), Mathf.max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  for (; i < n; i++) max = Mathf.max(max, load<f32>(src + (<usize>i << 2)));
  const m = f32x4.splat(max);
  // Two independent exp chains per step (exp is latency-bound), with separate partial sums.
  let acc = f32x4.splat(0);
  let acc1 = acc;
  for (i = 0; i + 8 <= n; i += 8) {
    const p = <usize>i << 2;
    const e0 = expF32x4(f32x4.sub(v128.load(src + p), m));
    const e1 = expF32x4(f32x4.sub(v128.load(src + p, 16), m));
    if (!log) {
      v128.store(dst + p, e0);
      v128.store(dst + p, e1, 16);
    }
    acc = f32x4.add(acc, e0);
    acc1 = f32x4.add(acc1, e1);
  }
  for (; i + 4 <= n; i += 4) {
    const e = expF32x4(f32x4.sub(v128.load(src + (<usize>i << 2)), m));
    if (!log) v128.store(dst + (<usize>i << 2), e);
    acc = f32x4.add(acc, e);
  }
  acc = f32x4.add(acc, acc1);
  let sum = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const e = expF32(load<f32>(src + (<usize>i << 2)) - max);
    if (!log) store<f32>(dst + (<usize>i << 2), e);
    sum += e;
  }
  i = 0;
  if (log) {
    const ls = Mathf.log(sum);
    const l = f32x4.splat(ls);
    for (; i + 4 <= n; i += 4) {
      const p = <usize>i << 2;
      v128.store(dst + p, f32x4.sub(f32x4.sub(v128.load(src + p), m), l));
    }
    for (; i < n; i++) store<f32>(dst + (<usize>i << 2), (load<f32>(src + (<usize>i << 2)) - max) - ls);
  } else {
    const inv: f32 = 1 / sum;
    const r = f32x4.splat(inv);
    for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.mul(v128.load(dst + (<usize>i << 2)), r));
    for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) * inv);
  }
}

// Four neighbouring columns of n values at a stride of `stride` floats, one per lane: the same
// operations in the same order as softmaxStrided, so each lane gets the bits a scalar column would.
function softmaxColumns(dst: usize, src: usize, n: i32, stride: i32, log: bool): void {
  let max = f32x4.splat(-Infinity);
  for (let d = 0; d < n; d++) max = f32x4.max(max, v128.load(src + (<usize>(d * stride) << 2)));
  let sum = f32x4.splat(0);
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const e = expF32x4(f32x4.sub(v128.load(src + p), max));
    if (!log) v128.store(dst + p, e);
    sum = f32x4.add(sum, e);
  }
  if (log) {
    const ls = f32x4(Mathf.log(f32x4.extract_lane(sum, 0)), Mathf.log(f32x4.extract_lane(sum, 1)), Mathf.log(f32x4.extract_lane(sum, 2)), Mathf.log(f32x4.extract_lane(sum, 3)));
    for (let d = 0; d < n; d++) {
      const p = <usize>(d * stride) << 2;
      v128.store(dst + p, f32x4.sub(f32x4.sub(v128.load(src + p), max), ls));
    }
  } else {
    const inv = f32x4.div(f32x4.splat(1), sum);
    for (let d = 0; d < n; d++) {
      const p = <usize>(d * stride) << 2;
      v128.store(dst + p, f32x4.mul(v128.load(dst + p), inv));
    }
  }
}

// n values at a stride of `stride` floats.
function softmaxStrided(dst: usize, src: usize, n: i32, stride: i32, log: bool): void {
  let max: f32 = -Infinity;
  for (let d = 0; d < n; d++) max = Mathf.max(max, load<f32>(src + (<usize>(d * stride) << 2)));
  let sum: f32 = 0;
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const e = expF32(load<f32>(src + p) - max);
    if (!log) store<f32>(dst + p, e);
    sum += e;
  }
  const ls = Mathf.log(sum);
  const inv: f32 = 1 / sum;
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    store<f32>(dst + p, log ? (load<f32>(src + p) - max) - ls : load<f32>(dst + p) * inv);
  }
}

// f32-softmax-backward: from y (the forward output) and gy = dL/dy, both [outer, n, inner]:
//   softmax:     gx = y · (gy − Σ_d gy·y)
//   log-softmax: gx = gy − exp(y) · Σ_d gy
// gx is [outer, n, inner] (may alias gy).
export function softmaxBackward(gx: usize, gy: usize, y: usize, outer: i32, n: i32, inner: i32, log: i32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const base = <usize>o * n * inner << 2;
    if (inner == 1) softmaxBackwardRow(gx + base, gy + base, y + base, n, log != 0);
    else {
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = base + (<usize>i << 2);
        softmaxBackwardColumns(gx + off, gy + off, y + off, n, inner, log != 0);
      }
      for (; i < inner; i++) {
        const off = base + (<usize>i << 2);
        softmaxBackwardStrided(gx + off, gy + off, y + off, n, inner, log != 0);
      }
    }
  }
}

function softmaxBackwardRow(gx: usize, gy: usize, y: usize, n: i32, log: bool): void {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = <usize>i << 2;
    const g = v128.load(gy + p);
    acc = f32x4.add(acc, log ? g : f32x4.mul(g, v128.load(y + p)));
  }
  let dot = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const g = load<f32>(gy + (<usize>i << 2));
    dot += log ? g : g * load<f32>(y + (<usize>i << 2));
  }
  i = 0;
  if (log) {
    const s = f32x4.splat(dot);
    for (; i + 4 <= n; i += 4) {
      const p = <usize>i << 2;
      v128.store(gx + p, f32x4.sub(v128.load(gy + p), f32x4.mul(expF32x4(v128.load(y + p)), s)));
    }
    for (; i < n; i++) {
      const p = <usize>i << 2;
      store<f32>(gx + p, load<f32>(gy + p) - expF32(load<f32>(y + p)) * dot);
    }
  } else {
    const s = f32x4.splat(dot);
    for (; i + 4 <= n; i += 4) {
      const p = <usize>i << 2;
      v128.store(gx + p, f32x4.mul(v128.load(y + p), f32x4.sub(v128.load(gy + p), s)));
    }
    for (; i < n; i++) {
      const p = <usize>i << 2;
      store<f32>(gx + p, load<f32>(y + p) * (load<f32>(gy + p) - dot));
    }
  }
}

// Four neighbouring columns at once, lane for lane the operations of softmaxBackwardStrided.
function softmaxBackwardColumns(gx: usize, gy: usize, y: usize, n: i32, stride: i32, log: bool): void {
  let dot = f32x4.splat(0);
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const g = v128.load(gy + p);
    dot = f32x4.add(dot, log ? g : f32x4.mul(g, v128.load(y + p)));
  }
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const g = v128.load(gy + p);
    const v = v128.load(y + p);
    v128.store(gx + p, log ? f32x4.sub(g, f32x4.mul(expF32x4(v), dot)) : f32x4.mul(v, f32x4.sub(g, dot)));
  }
}

function softmaxBackwardStrided(gx: usize, gy: usize, y: usize, n: i32, stride: i32, log: bool): void {
  let dot: f32 = 0;
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const g = load<f32>(gy + p);
    dot += log ? g : g * load<f32>(y + p);
  }
  for (let d = 0; d < n; d++) {
    const p = <usize>(d * stride) << 2;
    const g = load<f32>(gy + p);
    const v = load<f32>(y + p);
    store<f32>(gx + p, log ? g - expF32(v) * dot : v * (g - dot));
  }
}

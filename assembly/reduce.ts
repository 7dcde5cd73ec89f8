// Reductions over one dimension, wasm SIMD. A tensor reduced over dimension d is viewed as
// [outer, n, inner]: outer = product of the dims before d, n = dims[d], inner = product after d.
// When inner ≥ 4 the SIMD lanes run along inner (contiguous); when inner = 1 they run along n.
// Every kernel takes a range [outerStart, outerEnd) of outer rows so a call can be split.

// f32-sum-dim: out[o, i] = scale · Σ_d x[o, d, i]. x is [outer, n, inner], out is [outer, inner].
// Sums and means (scale = 1/n); also sums a gradient back to a broadcast operand's shape.
export function sumDim(out: usize, x: usize, outer: i32, n: i32, inner: i32, scale: f32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const src = x + (<usize>o * n * inner << 2);
    const dst = out + (<usize>o * inner << 2);
    if (inner == 1) {
      store<f32>(dst, sumContiguous(src, n) * scale);
      continue;
    }
    // Row by row (streaming memory): dst = x[o, 0, :] + x[o, 1, :] + …, then scaled.
    memory.fill(dst, 0, <usize>inner << 2);
    for (let d = 0; d < n; d++) {
      const row = src + (<usize>d * inner << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const p = <usize>i << 2;
        v128.store(dst + p, f32x4.add(v128.load(dst + p), v128.load(row + p)));
      }
      for (; i < inner; i++) {
        const p = <usize>i << 2;
        store<f32>(dst + p, load<f32>(dst + p) + load<f32>(row + p));
      }
    }
    if (scale != 1) scaleInPlace(dst, inner, scale);
  }
}

/** x[i] *= scale for i in [0, n). */
function scaleInPlace(x: usize, n: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), f32x4.mul(v128.load(x + (<usize>i << 2)), s));
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), load<f32>(x + (<usize>i << 2)) * scale);
}

/** Σ x[0..n) with four SIMD accumulators of four lanes each, then the tail (for other kernels too). */
export function sumContiguous(x: usize, n: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  for (; i + 4 <= n; i += 4) a0 = f32x4.add(a0, v128.load(x + (<usize>i << 2)));
  const v = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  let sum = (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
  for (; i < n; i++) sum += load<f32>(x + (<usize>i << 2));
  return sum;
}

// f32-sum-chunks: out[i] = ((p[0, i] + p[1, i]) + p[2, i]) + … for i in [start, end). partials is
// [chunks, stride]: the results of a sum cut into fixed chunks (e.g. a weight gradient over groups of
// images), added in chunk order so the total never depends on which thread computed which chunk.
export function sumChunks(out: usize, partials: usize, chunks: i32, stride: i32, start: i32, end: i32): void {
  const rowBytes = <usize>stride << 2;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let p = partials + (<usize>i << 2);
    let acc = v128.load(p);
    for (let c = 1; c < chunks; c++) {
      p += rowBytes;
      acc = f32x4.add(acc, v128.load(p));
    }
    v128.store(out + (<usize>i << 2), acc);
  }
  for (; i < end; i++) {
    let p = partials + (<usize>i << 2);
    let acc = load<f32>(p);
    for (let c = 1; c < chunks; c++) {
      p += rowBytes;
      acc += load<f32>(p);
    }
    store<f32>(out + (<usize>i << 2), acc);
  }
}

// f32-expand-dim: gx[o, d, i] = scale · gy[o, i]: the gradient of sumDim. gx is [outer, n, inner],
// gy is [outer, inner].
export function expandDim(gx: usize, gy: usize, outer: i32, n: i32, inner: i32, scale: f32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const src = gy + (<usize>o * inner << 2);
    const dst = gx + (<usize>o * n * inner << 2);
    if (inner == 1) {
      const v = load<f32>(src) * scale;
      const vv = f32x4.splat(v);
      let d = 0;
      for (; d + 4 <= n; d += 4) v128.store(dst + (<usize>d << 2), vv);
      for (; d < n; d++) store<f32>(dst + (<usize>d << 2), v);
      continue;
    }
    const s = f32x4.splat(scale);
    for (let d = 0; d < n; d++) {
      const row = dst + (<usize>d * inner << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) v128.store(row + (<usize>i << 2), f32x4.mul(v128.load(src + (<usize>i << 2)), s));
      for (; i < inner; i++) store<f32>(row + (<usize>i << 2), load<f32>(src + (<usize>i << 2)) * scale);
    }
  }
}

// f32-max-dim: values[o, i] = max_d x[o, d, i] and indices[o, i] = the first d attaining it, as an
// f32. x is [outer, n ≥ 1, inner]; values and indices are [outer, inner]. NaN is the maximum (the
// first NaN wins), as in PyTorch.
export function maxDim(values: usize, indices: usize, x: usize, outer: i32, n: i32, inner: i32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const src = x + (<usize>o * n * inner << 2);
    const vDst = values + (<usize>o * inner << 2);
    const iDst = indices + (<usize>o * inner << 2);
    if (inner == 1) {
      maxRow(vDst, iDst, src, n);
      continue;
    }
    // Row by row (streaming memory): start from row 0, then let each row d replace the lanes it beats.
    memory.copy(vDst, src, <usize>inner << 2);
    memory.fill(iDst, 0, <usize>inner << 2); // 0.0 has all bits 0
    for (let d = 1; d < n; d++) {
      const row = src + (<usize>d * inner << 2);
      const index = f32x4.splat(<f32>d);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const p = <usize>i << 2;
        const v = v128.load(row + p);
        const best = v128.load(vDst + p);
        // Take v where it is larger, or where it is NaN and the best so far is not.
        const take = v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
        v128.store(vDst + p, v128.bitselect(v, best, take));
        v128.store(iDst + p, v128.bitselect(index, v128.load(iDst + p), take));
      }
      for (; i < inner; i++) {
        const p = <usize>i << 2;
        const v = load<f32>(row + p);
        const best = load<f32>(vDst + p);
        if (v > best || (v != v && best == best)) {
          store<f32>(vDst + p, v);
          store<f32>(iDst + p, <f32>d);
        }
      }
    }
  }
}

// The maximum of one contiguous row of n ≥ 1 values and its first index. Lane j of the SIMD body
// scans the elements d ≡ j (mod 4); the lanes are merged (ties and NaN resolved to the smallest
// index), then the scalar tail follows, which comes after every lane's elements.
function maxRow(vDst: usize, iDst: usize, src: usize, n: i32): void {
  let best = load<f32>(src);
  let bestIndex = 0;
  let d = 1;
  if (n >= 8) {
    let vBest = v128.load(src);
    let vIndex = i32x4(0, 1, 2, 3);
    let current = vIndex;
    const four = i32x4.splat(4);
    for (d = 4; d + 4 <= n; d += 4) {
      current = i32x4.add(current, four);
      const v = v128.load(src + (<usize>d << 2));
      const take = v128.or(f32x4.gt(v, vBest), v128.andnot(f32x4.ne(v, v), f32x4.ne(vBest, vBest)));
      vBest = v128.bitselect(v, vBest, take);
      vIndex = v128.bitselect(current, vIndex, take);
    }
    best = f32x4.extract_lane(vBest, 0);
    bestIndex = i32x4.extract_lane(vIndex, 0);
    for (let lane = 1; lane < 4; lane++) {
      const v = lane == 1 ? f32x4.extract_lane(vBest, 1) : lane == 2 ? f32x4.extract_lane(vBest, 2) : f32x4.extract_lane(vBest, 3);
      const index = lane == 1 ? i32x4.extract_lane(vIndex, 1) : lane == 2 ? i32x4.extract_lane(vIndex, 2) : i32x4.extract_lane(vIndex, 3);
      const tie = v == best || (v != v && best != best);
      if (v > best || (v != v && best == best) || (tie && index < bestIndex)) {
        best = v;
        bestIndex = index;
      }
    }
  }
  for (; d < n; d++) {
    const v = load<f32>(src + (<usize>d << 2));
    if (v > best || (v != v && best == best)) {
      best = v;
      bestIndex = d;
    }
  }
  store<f32>(vDst, best);
  store<f32>(iDst, <f32>bestIndex);
}

// f32-max-dim-backward: gx[o, d, i] = gy[o, i] where d = indices[o, i], else 0. gx is
// [outer, n, inner] (overwritten), gy and indices are [outer, inner].
export function maxDimBackward(gx: usize, gy: usize, indices: usize, outer: i32, n: i32, inner: i32, outerStart: i32, outerEnd: i32): void {
  for (let o = outerStart; o < outerEnd; o++) {
    const dst = gx + (<usize>o * n * inner << 2);
    memory.fill(dst, 0, <usize>n * inner << 2);
    for (let i = 0; i < inner; i++) {
      const at = <usize>o * inner + i << 2;
      const d = <i32>load<f32>(indices + at);
      store<f32>(dst + (<usize>(d * inner + i) << 2), load<f32>(gy + at));
    }
  }
}

// f32-max-all-backward: the gradient of the maximum of all n values of x, shared evenly among the
// elements equal to it (PyTorch's rule for max() without dim): gx[e] = gy / count where x[e] = m
// (or where x[e] is NaN when m is NaN), else 0. gy and m each point to one f32; gx, x are f32[n].
export function maxAllBackward(gx: usize, gy: usize, x: usize, m: usize, n: i32): void {
  const max = load<f32>(m);
  const nan = max != max;
  let count = 0;
  for (let e = 0; e < n; e++) {
    const v = load<f32>(x + (<usize>e << 2));
    if (nan ? v != v : v == max) count++;
  }
  const share = load<f32>(gy) / <f32>count;
  for (let e = 0; e < n; e++) {
    const v = load<f32>(x + (<usize>e << 2));
    store<f32>(gx + (<usize>e << 2), (nan ? v != v : v == max) ? share : 0);
  }
}

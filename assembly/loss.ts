// Loss kernels, f32, wasm SIMD: cross-entropy (fused log-softmax + NLL), multiclass hinge, MSE.
//
// Batched losses work on rows: a range [rowStart, rowEnd) of the N rows, so one batch can be split
// across workers. Forward kernels write per-row state and RETURN the sum of the rows' losses in f64;
// the caller adds the partial sums of every range and divides by N (mean reduction). Backward
// kernels read the upstream gradient of the mean loss from gradLoss (one f32) and overwrite their
// outputs. Class targets are f32 class indices, validated by the caller to lie in [0, C).

// ---- exp, vectorised -------------------------------------------------------------------------------
// Cephes expf: x = k·ln2 + r with |r| ≤ ln2/2, exp(r) by a degree-7 polynomial, 2^k by building the
// exponent bits. Relative error ≈ 1e-7 over [-87.3, 88.7]; inputs are clamped to that range (so
// -inf gives a tiny positive value, not 0, and NaN stays NaN). The scalar twin does the same
// operations in the same order, so a value's result does not depend on its position in a row.
// Clamps use pmin/pmax (one instruction each on x86, where min/max need several); with the input as
// the first operand they keep NaN.

const EXP_HI: f32 = 88.3762626647949;
const EXP_LO: f32 = -87.3365447504;
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  x = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const k = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(k, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(k, f32x4.splat(LN2_LO)));
  let y = f32x4.splat(P0);
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P4));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P5));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1));
  // 2^k for k in [-126, 128]: k = 128 is built as 2^127 · 2.
  const k1 = f32x4.pmin(k, f32x4.splat(127));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k1), i32x4.splat(127)), 23);
  y = f32x4.mul(y, pow2);
  return f32x4.mul(y, f32x4.add(f32x4.splat(1), f32x4.sub(k, k1)));
}

// @ts-ignore: decorator
@inline
export function expF32(x: f32): f32 {
  x = EXP_HI < x ? EXP_HI : x; // pmin and pmax: NaN stays NaN
  x = x < EXP_LO ? EXP_LO : x;
  const k = floor(x * LOG2E + <f32>0.5);
  let r = x - k * LN2_HI;
  r = r - k * LN2_LO;
  let y = P0;
  y = y * r + P1;
  y = y * r + P2;
  y = y * r + P3;
  y = y * r + P4;
  y = y * r + P5;
  y = y * r * r + r + <f32>1;
  const k1 = <f32>127 < k ? <f32>127 : k;
  const ki = isNaN(k1) ? 0 : <i32>k1; // trunc_sat maps NaN to 0
  y = y * reinterpret<f32>((ki + 127) << 23);
  return y * (<f32>1 + (k - k1));
}

// Exposed for tests: out[i] = exp(x[i]) for i in [0, n) through the SIMD body and the scalar tail.
export function f32ExpWasmsimd(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, expF32x4(v128.load(x + off)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, expF32(load<f32>(x + off)));
  }
}

// ---- cross-entropy ---------------------------------------------------------------------------------

// f32-cross-entropy-forward-wasmsimd.
//   logits [N, C] row-major; targets [N] (f32 class indices); logSumExp [N] (out).
//   For each row n in [rowStart, rowEnd): logSumExp[n] = m + log Σ_c exp(x[n, c] − m) with m the row
//   maximum (stable for any finite logits); the row's loss is logSumExp[n] − x[n, target[n]].
//   Returns Σ of the rows' losses (f64).
export function f32CrossEntropyForward(logSumExp: usize, logits: usize, targets: usize, C: i32, rowStart: i32, rowEnd: i32): f64 {
  let total: f64 = 0;
  for (let n = rowStart; n < rowEnd; n++) {
    const row = logits + (<usize>n * C << 2);
    const lse = logSumExpRow(row, C);
    store<f32>(logSumExp + (<usize>n << 2), lse);
    total += <f64>(lse - load<f32>(row + (<usize>classAt(targets, n) << 2)));
  }
  return total;
}

// f32-cross-entropy-backward-wasmsimd.
//   gradLogits [N, C] (out); gradLoss [1]: dL/d(mean loss); logits [N, C]; logSumExp [N] from the
//   forward; targets [N]. For rows n in [rowStart, rowEnd):
//   gradLogits[n, c] = (exp(x[n, c] − logSumExp[n]) − [c = target[n]]) · gradLoss / N.
export function f32CrossEntropyBackward(gradLogits: usize, gradLoss: usize, logits: usize, logSumExp: usize, targets: usize, N: i32, C: i32, rowStart: i32, rowEnd: i32): void {
  const scale = load<f32>(gradLoss) / <f32>N;
  const splatScale = f32x4.splat(scale);
  for (let n = rowStart; n < rowEnd; n++) {
    const off = <usize>n * C << 2;
    const row = logits + off;
    const out = gradLogits + off;
    const lse = load<f32>(logSumExp + (<usize>n << 2));
    const splatLse = f32x4.splat(lse);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      v128.store(out + o, f32x4.mul(expF32x4(f32x4.sub(v128.load(row + o), splatLse)), splatScale));
    }
    for (; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(out + o, expF32(load<f32>(row + o) - lse) * scale);
    }
    const t = <usize>classAt(targets, n) << 2;
    store<f32>(out + t, (expF32(load<f32>(row + t) - lse) - <f32>1) * scale);
  }
}

// ---- multiclass hinge (multi-margin) ---------------------------------------------------------------

// f32-multi-margin-forward-wasmsimd (PyTorch's multi_margin_loss, p = 1 or 2).
//   scores [N, C] row-major; targets [N] (f32 class indices).
//   Row loss = Σ_{c ≠ y} max(0, margin − s[y] + s[c])^p / C with y = target[n]; a NaN hinge argument
//   counts as 0, as in PyTorch's CPU kernel (it adds z only where z > 0).
//   Returns Σ of the row losses over rows [rowStart, rowEnd) (f64).
export function f32MultiMarginForward(scores: usize, targets: usize, margin: f32, p: i32, C: i32, rowStart: i32, rowEnd: i32): f64 {
  let total: f64 = 0;
  const zero = f32x4.splat(0);
  for (let n = rowStart; n < rowEnd; n++) {
    const row = scores + (<usize>n * C << 2);
    const y = classAt(targets, n);
    const base = margin - load<f32>(row + (<usize>y << 2));
    let acc = zero;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      let z = f32x4.add(f32x4.splat(base), v128.load(row + (<usize>c << 2)));
      z = v128.and(z, f32x4.gt(z, zero)); // z > 0 ? z : 0, so NaN counts as 0 as in PyTorch
      if (p == 2) z = f32x4.mul(z, z);
      acc = f32x4.add(acc, v128.and(z, otherClasses(c, y)));
    }
    let sum = horizontalSum(acc);
    for (; c < C; c++) {
      if (c == y) continue;
      let z = base + load<f32>(row + (<usize>c << 2));
      z = z > 0 ? z : 0;
      if (p == 2) z *= z;
      sum += z;
    }
    total += <f64>(sum / <f32>C);
  }
  return total;
}

// f32-multi-margin-backward-wasmsimd.
//   gradScores [N, C] (out); gradLoss [1]: dL/d(mean loss); scores, targets as in the forward.
//   With z = margin − s[y] + s[c] and k = gradLoss / (N·C), for c ≠ y: gradScores[n, c] = k (p = 1)
//   or 2·z·k (p = 2) where z > 0, else 0; gradScores[n, y] = −Σ_{c ≠ y} gradScores[n, c].
export function f32MultiMarginBackward(gradScores: usize, gradLoss: usize, scores: usize, targets: usize, margin: f32, p: i32, N: i32, C: i32, rowStart: i32, rowEnd: i32): void {
  const k = load<f32>(gradLoss) / (<f32>N * <f32>C);
  const zero = f32x4.splat(0);
  const splatK = f32x4.splat(k);
  const splatTwoK = f32x4.splat(2 * k);
  for (let n = rowStart; n < rowEnd; n++) {
    const off = <usize>n * C << 2;
    const row = scores + off;
    const out = gradScores + off;
    const y = classAt(targets, n);
    const base = margin - load<f32>(row + (<usize>y << 2));
    const splatBase = f32x4.splat(base);
    let acc = zero;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const o = <usize>c << 2;
      const z = f32x4.add(splatBase, v128.load(row + o));
      const active = v128.and(f32x4.gt(z, zero), otherClasses(c, y));
      const g = v128.and(p == 2 ? f32x4.mul(z, splatTwoK) : splatK, active);
      v128.store(out + o, g);
      acc = f32x4.add(acc, g);
    }
    let sum = horizontalSum(acc);
    for (; c < C; c++) {
      const o = <usize>c << 2;
      const z = base + load<f32>(row + o);
      const g: f32 = c != y && z > 0 ? (p == 2 ? z * (2 * k) : k) : 0;
      store<f32>(out + o, g);
      sum += g;
    }
    store<f32>(out + (<usize>y << 2), -sum);
  }
}

// ---- mean squared error ----------------------------------------------------------------------------

// f32-mse-forward-wasmsimd: returns Σ (a[i] − b[i])² over i in [start, end), accumulated in f64.
//   a, b: dense f32 vectors of the same length.
export function f32MseForward(a: usize, b: usize, start: i32, end: i32): f64 {
  let acc = f64x2.splat(0);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const off = <usize>i << 2;
    const d = f32x4.sub(v128.load(a + off), v128.load(b + off));
    const sq = f32x4.mul(d, d);
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(sq));
    acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(sq, sq, 2, 3, 2, 3)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < end; i++) {
    const off = <usize>i << 2;
    const d = load<f32>(a + off) - load<f32>(b + off);
    sum += <f64>(d * d);
  }
  return sum;
}

// f32-mse-backward-wasmsimd: for i in [start, end), with k = 2 · gradLoss / n:
//   gradA[i] = k · (a[i] − b[i]) and gradB[i] = −gradA[i]. gradA or gradB may be 0 (not wanted).
//   gradLoss [1]: dL/d(mean loss); n: the element count the mean divides by.
export function f32MseBackward(gradA: usize, gradB: usize, gradLoss: usize, a: usize, b: usize, n: i32, start: i32, end: i32): void {
  const k = <f32>2 * load<f32>(gradLoss) / <f32>n;
  const splatK = f32x4.splat(k);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const off = <usize>i << 2;
    const g = f32x4.mul(f32x4.sub(v128.load(a + off), v128.load(b + off)), splatK);
    if (gradA) v128.store(gradA + off, g);
    if (gradB) v128.store(gradB + off, f32x4.neg(g));
  }
  for (; i < end; i++) {
    const off = <usize>i << 2;
    const g = (load<f32>(a + off) - load<f32>(b + off)) * k;
    if (gradA) store<f32>(gradA + off, g);
    if (gradB) store<f32>(gradB + off, -g);
  }
}

// ---- helpers ---------------------------------------------------------------------------------------

// The class index target[n] of a [N] vector of f32 class indices.
// @ts-ignore: decorator
@inline
export function classAt(targets: usize, n: i32): i32 {
  return <i32>load<f32>(targets + (<usize>n << 2));
}

// A lane mask over classes c … c + 3: all ones where the class is not y (the target does not count).
// @ts-ignore: decorator
@inline
function otherClasses(c: i32, y: i32): v128 {
  return i32x4.ne(i32x4.add(i32x4(0, 1, 2, 3), i32x4.splat(c)), i32x4.splat(y));
}

/** m + log Σ_c exp(x[c] − m) of one row of C logits, m its maximum: the stable log-sum-exp (a call per row). */
export function logSumExpRow(row: usize, C: i32): f32 {
  const m = rowMax(row, C);
  const splatM = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c + 4 <= C; c += 4) acc = f32x4.add(acc, expF32x4(f32x4.sub(v128.load(row + (<usize>c << 2)), splatM)));
  let sum = horizontalSum(acc);
  for (; c < C; c++) sum += expF32(load<f32>(row + (<usize>c << 2)) - m);
  return m + Mathf.log(sum);
}

// The maximum of C values at row (NaN if any is NaN; -inf for C = 0).
export function rowMax(row: usize, C: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let c = 0;
  for (; c + 4 <= C; c += 4) m = f32x4.max(m, v128.load(row + (<usize>c << 2)));
  let s = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; c < C; c++) s = max(s, load<f32>(row + (<usize>c << 2)));
  return s;
}

// @ts-ignore: decorator
@inline
export function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

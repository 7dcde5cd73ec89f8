/** Options of the naive reference, matching the backends' GemmArgs. */
export interface ReferenceGemm {
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
  accumulate: boolean;
  bias?: { values: Float32Array; axis: 'row' | 'col' };
  relu: boolean;
}

/**
 * Textbook triple loop in f64. Returns the result and, per element, Σ|a·b| + |c| + |bias|, the scale
 * that bounds f32 rounding error (≈ k·2⁻²⁴ of it).
 */
export function referenceGemm(a: Float32Array, b: Float32Array, c: Float32Array, o: ReferenceGemm): { out: Float64Array; scale: Float64Array } {
  const out = new Float64Array(o.m * o.n);
  const scale = new Float64Array(o.m * o.n);
  for (let i = 0; i < o.m; i++) {
    for (let j = 0; j < o.n; j++) {
      let sum = o.accumulate ? c[i * o.n + j] : 0;
      let abs = Math.abs(sum);
      for (let p = 0; p < o.k; p++) {
        const av = o.transA ? a[p * o.m + i] : a[i * o.k + p];
        const bv = o.transB ? b[j * o.k + p] : b[p * o.n + j];
        sum += av * bv;
        abs += Math.abs(av * bv);
      }
      if (o.bias) {
        const bv = o.bias.values[o.bias.axis === 'row' ? i : j];
        sum += bv;
        abs += Math.abs(bv);
      }
      if (o.relu && sum < 0) sum = 0;
      out[i * o.n + j] = sum;
      scale[i * o.n + j] = abs;
    }
  }
  return { out, scale };
}

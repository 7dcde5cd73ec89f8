// Strided copies, the one kernel behind permute, transpose, slicing, cat and pad (forward and
// gradient): both sides are N-d views of dense buffers, so one call gathers a view into a dense
// tensor, scatters a dense tensor into a region of another, or moves a region to a region.

/** The largest rank copyStrided accepts (the bindings merge dimensions first and split the rest). */
export const STRIDED_MAX_RANK: i32 = 8;

// f32-copy-strided: for every index (i₀ … i_{rank−1}) over dims,
//   dst[Σ iₖ·dstStrides[k]] = src[Σ iₖ·srcStrides[k]],
// where dst and src are the byte addresses of element (0, …, 0) and dims, dstStrides, srcStrides are
// i32[rank] (strides in floats). Only rows [rowStart, rowEnd) are copied, a row being one run of the
// last dimension (rows = product of the leading dims). Runs that are contiguous on both sides are one
// memory.copy; the others go element by element. The views must not overlap.
export function copyStrided(
  dst: usize, src: usize, rank: i32, dims: usize, dstStrides: usize, srcStrides: usize,
  rowStart: i32, rowEnd: i32,
): void {
  const last = <usize>(rank - 1) << 2;
  const n = load<i32>(dims + last);
  const sd = load<i32>(dstStrides + last);
  const ss = load<i32>(srcStrides + last);
  for (let row = rowStart; row < rowEnd; row++) {
    // Offsets of this row on both sides, from its coordinates over the leading dimensions.
    let rest = row;
    let offD = 0;
    let offS = 0;
    for (let d = rank - 2; d >= 0; d--) {
      const p = <usize>d << 2;
      const size = load<i32>(dims + p);
      const coord = rest % size;
      rest /= size;
      offD += coord * load<i32>(dstStrides + p);
      offS += coord * load<i32>(srcStrides + p);
    }
    const to = dst + (<usize>offD << 2);
    const from = src + (<usize>offS << 2);
    if (sd == 1 && ss == 1) {
      memory.copy(to, from, <usize>n << 2);
      continue;
    }
    for (let i = 0; i < n; i++) store<f32>(to + (<usize>(i * sd) << 2), load<f32>(from + (<usize>(i * ss) << 2)));
  }
}

// f32 2-D resizing (nearest neighbour and bilinear), forward and backward. Where each output row and
// column reads from is decided outside (PyTorch's index and weight formulas, in exact f32 arithmetic
// in TypeScript) and passed as one table per axis:
//   table [4, O]: index0 (i32[O]), index1 (i32[O]), weight0 (f32[O]), weight1 (f32[O]).
// Nearest: out[p, oh, ow] = x[p, rows.index0[oh], cols.index0[ow]].
// Bilinear: out = wr0·(wc0·x[r0, c0] + wc1·x[r0, c1]) + wr1·(wc0·x[r1, c0] + wc1·x[r1, c1]) (PyTorch's
// order), with r0, r1, wr0, wr1 the row table's entries for oh and c0 … wc1 the column table's for ow.
// Backward scatters dy back through the same taps (accumulating where taps meet) and overwrites dx.
// Planes [planeStart, planeEnd) of x, dx [P, H, W] and out, dy [P, OH, OW], so a call can be split.

export const RESIZE_NEAREST: i32 = 0;
export const RESIZE_BILINEAR: i32 = 1;

// @ts-ignore: decorator
@inline
function entry<T>(table: usize, part: i32, size: i32, i: i32): T {
  return load<T>(table + (<usize>(part * size + i) << 2));
}

/** out = x resized through the row and column tables (see the header). */
export function f32Resize2dForward(
  mode: i32, out: usize, x: usize, H: i32, W: i32, OH: i32, OW: i32, rows: usize, cols: usize,
  planeStart: i32, planeEnd: i32,
): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = x + (<usize>p * H * W << 2);
    let o = out + (<usize>p * OH * OW << 2);
    for (let oh = 0; oh < OH; oh++) {
      const row0 = plane + (<usize>(entry<i32>(rows, 0, OH, oh) * W) << 2);
      if (mode == RESIZE_NEAREST) {
        for (let ow = 0; ow < OW; ow++, o += 4) store<f32>(o, load<f32>(row0 + (<usize>entry<i32>(cols, 0, OW, ow) << 2)));
        continue;
      }
      const row1 = plane + (<usize>(entry<i32>(rows, 1, OH, oh) * W) << 2);
      const wr0 = entry<f32>(rows, 2, OH, oh);
      const wr1 = entry<f32>(rows, 3, OH, oh);
      for (let ow = 0; ow < OW; ow++, o += 4) {
        const c0 = <usize>entry<i32>(cols, 0, OW, ow) << 2;
        const c1 = <usize>entry<i32>(cols, 1, OW, ow) << 2;
        const wc0 = entry<f32>(cols, 2, OW, ow);
        const wc1 = entry<f32>(cols, 3, OW, ow);
        const top = wc0 * load<f32>(row0 + c0) + wc1 * load<f32>(row0 + c1);
        const bottom = wc0 * load<f32>(row1 + c0) + wc1 * load<f32>(row1 + c1);
        store<f32>(o, wr0 * top + wr1 * bottom);
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function addTo(at: usize, v: f32): void {
  store<f32>(at, load<f32>(at) + v);
}

/** dx = dy scattered back through the taps of the forward pass. */
export function f32Resize2dBackward(
  mode: i32, dx: usize, dy: usize, H: i32, W: i32, OH: i32, OW: i32, rows: usize, cols: usize,
  planeStart: i32, planeEnd: i32,
): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = dx + (<usize>p * H * W << 2);
    memory.fill(plane, 0, <usize>H * W << 2);
    let g = dy + (<usize>p * OH * OW << 2);
    for (let oh = 0; oh < OH; oh++) {
      const row0 = plane + (<usize>(entry<i32>(rows, 0, OH, oh) * W) << 2);
      if (mode == RESIZE_NEAREST) {
        for (let ow = 0; ow < OW; ow++, g += 4) addTo(row0 + (<usize>entry<i32>(cols, 0, OW, ow) << 2), load<f32>(g));
        continue;
      }
      const row1 = plane + (<usize>(entry<i32>(rows, 1, OH, oh) * W) << 2);
      const wr0 = entry<f32>(rows, 2, OH, oh);
      const wr1 = entry<f32>(rows, 3, OH, oh);
      for (let ow = 0; ow < OW; ow++, g += 4) {
        const c0 = <usize>entry<i32>(cols, 0, OW, ow) << 2;
        const c1 = <usize>entry<i32>(cols, 1, OW, ow) << 2;
        const wc0 = entry<f32>(cols, 2, OW, ow);
        const wc1 = entry<f32>(cols, 3, OW, ow);
        const top = wr0 * load<f32>(g);
        const bottom = wr1 * load<f32>(g);
        addTo(row0 + c0, top * wc0);
        addTo(row0 + c1, top * wc1);
        addTo(row1 + c0, bottom * wc0);
        addTo(row1 + c1, bottom * wc1);
      }
    }
  }
}

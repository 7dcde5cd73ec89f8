// Data augmentation kernels over batches of images, NCHW f32. The random choices (offsets, flips,
// angles) are drawn by the caller from the seeded generator and passed in per image; everything
// that decides bits (the rotation's cosine and sine, the sampling) runs here, so every engine gives
// the same images. Each kernel takes an image range [start, end) so a batch can be split across
// threads; out never aliases inp.

// f32-crop-images: for images n in [start, end), out [N, C, outH, outW], inp [N, C, H, W],
// offsets i32 [N, 2] = (top, left) of the window in inp (any integers: rows and columns outside
// inp are zeros, which is how a padded crop is taken):
//   out[n, c, y, x] = inp[n, c, y + top, x + left] where that lies inside inp, else 0.
export function f32CropImages(out: usize, inp: usize, offsets: usize, C: i32, H: i32, W: i32, outH: i32, outW: i32, start: i32, end: i32): void {
  for (let n = start; n < end; n++) {
    const top = load<i32>(offsets + (<usize>(2 * n) << 2));
    const left = load<i32>(offsets + (<usize>(2 * n + 1) << 2));
    // Columns of the output row that read inside inp: [x0, x1).
    const x0 = min(max(-left, 0), outW);
    const x1 = max(min(W - left, outW), x0);
    for (let c = 0; c < C; c++) {
      const src = inp + (<usize>((n * C + c) * H) * <usize>W << 2);
      const dst = out + (<usize>((n * C + c) * outH) * <usize>outW << 2);
      for (let y = 0; y < outH; y++) {
        const row = dst + (<usize>(y * outW) << 2);
        const sy = y + top;
        if (sy < 0 || sy >= H || x0 === x1) {
          memory.fill(row, 0, <usize>outW << 2);
          continue;
        }
        memory.fill(row, 0, <usize>x0 << 2);
        memory.copy(row + (<usize>x0 << 2), src + (<usize>(sy * W + x0 + left) << 2), <usize>(x1 - x0) << 2);
        memory.fill(row + (<usize>x1 << 2), 0, <usize>(outW - x1) << 2);
      }
    }
  }
}

// f32-flip-images-wasmsimd: for images n in [start, end), out and inp [N, C, H, W], flips i32 [N]:
//   out[n, c, y, x] = flips[n] ≠ 0 ? inp[n, c, y, W − 1 − x] : inp[n, c, y, x].
export function f32FlipImages(out: usize, inp: usize, flips: usize, C: i32, H: i32, W: i32, start: i32, end: i32): void {
  const plane = <usize>(C * H) * <usize>W << 2;
  for (let n = start; n < end; n++) {
    const src = inp + <usize>n * plane;
    const dst = out + <usize>n * plane;
    if (load<i32>(flips + (<usize>n << 2)) === 0) {
      memory.copy(dst, src, plane);
      continue;
    }
    for (let r = 0; r < C * H; r++) {
      const s = src + (<usize>(r * W) << 2);
      const d = dst + (<usize>(r * W) << 2);
      let x = 0;
      for (; x + 4 <= W; x += 4) {
        // The 4 values ending at column W − x, lanes reversed.
        const v = v128.load(s + (<usize>(W - x - 4) << 2));
        v128.store(d + (<usize>x << 2), i32x4.shuffle(v, v, 3, 2, 1, 0));
      }
      for (; x < W; x++) store<f32>(d + (<usize>x << 2), load<f32>(s + (<usize>(W - 1 - x) << 2)));
    }
  }
}

/** Sampling modes of f32AffineImages. */
export const AFFINE_NEAREST: i32 = 0;
export const AFFINE_BILINEAR: i32 = 1;

// f32-affine-images: for images n in [start, end), out and inp [N, C, H, W], params f32 [N, 3] =
// (angle in degrees, tx, ty). torchvision's F.affine on tensors (scale 1, no shear, fill 0): the
// image is rotated by `angle` about its centre ((W − 1)/2, (H − 1)/2), clockwise on screen for a
// positive angle, then shifted by (tx, ty) pixels. Each output pixel reads the input at
//   u = x − cx − tx, v = y − cy − ty,  xi = cos·u + sin·v + cx,  yi = −sin·u + cos·v + cy
// (cos and sin of the angle, in f64), either at the nearest pixel (ties to even, as grid_sample) or
// bilinearly from its four neighbours; positions outside inp read zeros.
export function f32AffineImages(out: usize, inp: usize, params: usize, C: i32, H: i32, W: i32, mode: i32, start: i32, end: i32): void {
  const plane = <usize>H * <usize>W;
  const cx = <f64>(W - 1) * 0.5;
  const cy = <f64>(H - 1) * 0.5;
  for (let n = start; n < end; n++) {
    const p = params + (<usize>(3 * n) << 2);
    const radians = <f64>load<f32>(p) * (Math.PI / 180);
    const cosA = Math.cos(radians);
    const sinA = Math.sin(radians);
    const tx = <f64>load<f32>(p, 4);
    const ty = <f64>load<f32>(p, 8);
    const src = inp + (<usize>n * <usize>C * plane << 2);
    const dst = out + (<usize>n * <usize>C * plane << 2);
    for (let y = 0; y < H; y++) {
      const v = <f64>y - cy - ty;
      const row = dst + (<usize>(y * W) << 2);
      // Two pixels at a time: the same f64 operations as the scalar loop, lane by lane.
      const sinV = f64x2.splat(sinA * v);
      const cosV = f64x2.splat(cosA * v);
      let x = 0;
      for (; x + 2 <= W; x += 2) {
        const u = f64x2.sub(f64x2.sub(f64x2(<f64>x, <f64>(x + 1)), f64x2.splat(cx)), f64x2.splat(tx));
        const xi = f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(cosA), u), sinV), f64x2.splat(cx));
        const yi = f64x2.add(f64x2.add(f64x2.mul(f64x2.splat(-sinA), u), cosV), f64x2.splat(cy));
        const o = row + (<usize>x << 2);
        if (mode === AFFINE_NEAREST) {
          samplePixelNearest(o, src, f64x2.extract_lane(xi, 0), f64x2.extract_lane(yi, 0), C, H, W);
          samplePixelNearest(o + 4, src, f64x2.extract_lane(xi, 1), f64x2.extract_lane(yi, 1), C, H, W);
        } else {
          samplePixelBilinear(o, src, f64x2.extract_lane(xi, 0), f64x2.extract_lane(yi, 0), C, H, W);
          samplePixelBilinear(o + 4, src, f64x2.extract_lane(xi, 1), f64x2.extract_lane(yi, 1), C, H, W);
        }
      }
      for (; x < W; x++) {
        const u = <f64>x - cx - tx;
        const xi = cosA * u + sinA * v + cx;
        const yi = -sinA * u + cosA * v + cy;
        const o = row + (<usize>x << 2);
        if (mode === AFFINE_NEAREST) samplePixelNearest(o, src, xi, yi, C, H, W);
        else samplePixelBilinear(o, src, xi, yi, C, H, W);
      }
    }
  }
}

/** out[c·H·W] = src[c, round(yi), round(xi)] (ties to even) for every channel c, or 0 outside. */
// @ts-ignore: decorator
@inline
function samplePixelNearest(o: usize, src: usize, xi: f64, yi: f64, C: i32, H: i32, W: i32): void {
  const plane = <usize>H * <usize>W << 2;
  const xr = nearest(xi);
  const yr = nearest(yi);
  if (!(xr >= 0 && xr <= <f64>(W - 1) && yr >= 0 && yr <= <f64>(H - 1))) {
    for (let c = 0; c < C; c++) store<f32>(o + <usize>c * plane, 0);
    return;
  }
  const s = src + (<usize>(<i32>yr * W + <i32>xr) << 2);
  for (let c = 0; c < C; c++) store<f32>(o + <usize>c * plane, load<f32>(s + <usize>c * plane));
}

/**
 * out[c·H·W] = bilinear interpolation of src[c] at (xi, yi) as grid_sample computes it: the four
 * neighbours' terms added in the order top-left, top-right, bottom-left, bottom-right, each only
 * when the neighbour lies inside the image (zero padding).
 */
// @ts-ignore: decorator
@inline
function samplePixelBilinear(o: usize, src: usize, xi: f64, yi: f64, C: i32, H: i32, W: i32): void {
  const plane = <usize>H * <usize>W << 2;
  const xf = floor(xi);
  const yf = floor(yi);
  if (!(xf >= -1 && xf <= <f64>(W - 1) && yf >= -1 && yf <= <f64>(H - 1))) {
    for (let c = 0; c < C; c++) store<f32>(o + <usize>c * plane, 0);
    return;
  }
  const x0 = <i32>xf;
  const y0 = <i32>yf;
  const fx = <f32>(xi - xf);
  const fy = <f32>(yi - yf);
  const w00: f32 = (1 - fx) * (1 - fy);
  const w01: f32 = fx * (1 - fy);
  const w10: f32 = (1 - fx) * fy;
  const w11: f32 = fx * fy;
  const s = src + (<usize>(y0 * W + x0) << 2); // may point outside inp: read only where inside
  const rowBytes = <usize>W << 2;
  if (x0 >= 0 && x0 + 1 < W && y0 >= 0 && y0 + 1 < H) {
    // All four neighbours inside (most pixels): no per-neighbour checks.
    for (let c = 0; c < C; c++) {
      const p = s + <usize>c * plane;
      let value: f32 = 0;
      value += w00 * load<f32>(p);
      value += w01 * load<f32>(p, 4);
      value += w10 * load<f32>(p + rowBytes);
      value += w11 * load<f32>(p + rowBytes, 4);
      store<f32>(o + <usize>c * plane, value);
    }
    return;
  }
  const left = x0 >= 0;
  const right = x0 + 1 < W;
  const up = y0 >= 0;
  const down = y0 + 1 < H;
  for (let c = 0; c < C; c++) {
    const p = s + <usize>c * plane;
    let value: f32 = 0;
    if (up && left) value += w00 * load<f32>(p);
    if (up && right) value += w01 * load<f32>(p + 4);
    if (down && left) value += w10 * load<f32>(p + rowBytes);
    if (down && right) value += w11 * load<f32>(p + rowBytes + 4);
    store<f32>(o + <usize>c * plane, value);
  }
}

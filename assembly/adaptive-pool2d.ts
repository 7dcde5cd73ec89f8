// f32 2-D adaptive average and max pooling, forward and backward, with PyTorch's windows: output
// row oh of OH pools input rows [⌊oh·H/OH⌋, ⌈(oh + 1)·H/OH⌉), columns likewise, so windows cover the
// input and overlap by at most one row or column when OH does not divide H.
//
// Every function works on planes [planeStart, planeEnd) of an NCHW tensor seen as P = N·C planes,
// so one call can be split across workers:
//   x, dx: [P, H, W] row-major;  out, dy: [P, OH, OW] row-major.
// Average: the window's sum (rows of contiguous floats summed by reduce.ts's SIMD sumContiguous, one
// block when the window spans whole rows, as global pooling does) divided by its size. Max: the first
// maximum in row-major window order, a NaN always counting as the maximum (PyTorch's
// `v > m || isnan(v)`, so the last NaN wins); its gradient recomputes that argmax from x. Backward
// passes overwrite dx.
import { sumContiguous } from './reduce';

// @ts-ignore: decorator
@inline
function windowStart(o: i32, size: i32, outSize: i32): i32 {
  return <i32>((<i64>o * size) / outSize);
}

// @ts-ignore: decorator
@inline
function windowEnd(o: i32, size: i32, outSize: i32): i32 {
  return <i32>((<i64>(o + 1) * size + outSize - 1) / outSize);
}

/** out[p, oh, ow] = mean of x[p] over the window of (oh, ow). */
export function f32AdaptiveAvgPool2dForward(out: usize, x: usize, H: i32, W: i32, OH: i32, OW: i32, planeStart: i32, planeEnd: i32): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = x + (<usize>p * H * W << 2);
    const o = out + (<usize>p * OH * OW << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = windowStart(oh, H, OH);
      const h1 = windowEnd(oh, H, OH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = windowStart(ow, W, OW);
        const w1 = windowEnd(ow, W, OW);
        let sum: f32 = 0;
        if (w1 - w0 == W) {
          sum = sumContiguous(plane + (<usize>h0 * W << 2), (h1 - h0) * W);
        } else {
          for (let h = h0; h < h1; h++) sum += sumContiguous(plane + (<usize>(h * W + w0) << 2), w1 - w0);
        }
        store<f32>(o + (<usize>(oh * OW + ow) << 2), sum / <f32>((h1 - h0) * (w1 - w0)));
      }
    }
  }
}

/** dx[p] = Σ over the windows holding each element of dy[p, oh, ow] / (window size). */
export function f32AdaptiveAvgPool2dBackward(dx: usize, dy: usize, H: i32, W: i32, OH: i32, OW: i32, planeStart: i32, planeEnd: i32): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = dx + (<usize>p * H * W << 2);
    const g = dy + (<usize>p * OH * OW << 2);
    memory.fill(plane, 0, <usize>H * W << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = windowStart(oh, H, OH);
      const h1 = windowEnd(oh, H, OH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = windowStart(ow, W, OW);
        const w1 = windowEnd(ow, W, OW);
        const share = load<f32>(g + (<usize>(oh * OW + ow) << 2)) / <f32>((h1 - h0) * (w1 - w0));
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const at = plane + (<usize>(h * W + w) << 2);
            store<f32>(at, load<f32>(at) + share);
          }
        }
      }
    }
  }
}

/** The offset in its plane of the maximum of the window [h0, h1) × [w0, w1) (PyTorch's rule, see the header). */
function argmaxOfWindow(plane: usize, W: i32, h0: i32, h1: i32, w0: i32, w1: i32): i32 {
  let best = h0 * W + w0;
  let max: f32 = -Infinity;
  for (let h = h0; h < h1; h++) {
    for (let w = w0; w < w1; w++) {
      const v = load<f32>(plane + (<usize>(h * W + w) << 2));
      if (v > max || v != v) {
        max = v;
        best = h * W + w;
      }
    }
  }
  return best;
}

/** out[p, oh, ow] = max of x[p] over the window of (oh, ow). */
export function f32AdaptiveMaxPool2dForward(out: usize, x: usize, H: i32, W: i32, OH: i32, OW: i32, planeStart: i32, planeEnd: i32): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = x + (<usize>p * H * W << 2);
    const o = out + (<usize>p * OH * OW << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = windowStart(oh, H, OH);
      const h1 = windowEnd(oh, H, OH);
      for (let ow = 0; ow < OW; ow++) {
        const best = argmaxOfWindow(plane, W, h0, h1, windowStart(ow, W, OW), windowEnd(ow, W, OW));
        store<f32>(o + (<usize>(oh * OW + ow) << 2), load<f32>(plane + (<usize>best << 2)));
      }
    }
  }
}

/** dx[p] = Σ of dy[p, oh, ow] routed to the argmax of each window, recomputed from x. */
export function f32AdaptiveMaxPool2dBackward(dx: usize, dy: usize, x: usize, H: i32, W: i32, OH: i32, OW: i32, planeStart: i32, planeEnd: i32): void {
  for (let p = planeStart; p < planeEnd; p++) {
    const plane = x + (<usize>p * H * W << 2);
    const gradPlane = dx + (<usize>p * H * W << 2);
    const g = dy + (<usize>p * OH * OW << 2);
    memory.fill(gradPlane, 0, <usize>H * W << 2);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = windowStart(oh, H, OH);
      const h1 = windowEnd(oh, H, OH);
      for (let ow = 0; ow < OW; ow++) {
        const at = gradPlane + (<usize>argmaxOfWindow(plane, W, h0, h1, windowStart(ow, W, OW), windowEnd(ow, W, OW)) << 2);
        store<f32>(at, load<f32>(at) + load<f32>(g + (<usize>(oh * OW + ow) << 2)));
      }
    }
  }
}

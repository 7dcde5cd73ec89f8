import type { AdaptivePool2dGeometry, AdaptivePoolOps } from '../adaptive-pool-ops.js';
import { tsData } from './storage.js';

/** The input range [start, end) that output `o` of `outSize` pools from an axis of `size` (PyTorch's). */
function window(o: number, size: number, outSize: number): [number, number] {
  return [Math.floor((o * size) / outSize), Math.ceil(((o + 1) * size) / outSize)];
}

/** Calls visit(plane offset of x, output index, window rows, window columns) for every output. */
function forEachWindow(g: AdaptivePool2dGeometry, visit: (plane: number, out: number, rows: [number, number], cols: [number, number]) => void): void {
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) visit(p * g.h * g.w, (p * g.outH + oh) * g.outW + ow, window(oh, g.h, g.outH), window(ow, g.w, g.outW));
    }
  }
}

/** The offset of the window's maximum: the first in row-major order, a NaN always winning (the last NaN). */
function argmax(x: Float32Array, plane: number, w: number, [h0, h1]: [number, number], [w0, w1]: [number, number]): number {
  let best = plane + h0 * w + w0;
  let max = -Infinity;
  for (let h = h0; h < h1; h++) {
    for (let c = w0; c < w1; c++) {
      const v = x[plane + h * w + c];
      if (v > max || Number.isNaN(v)) {
        max = v;
        best = plane + h * w + c;
      }
    }
  }
  return best;
}

export const tsAdaptivePoolOps: AdaptivePoolOps = {
  adaptiveAvgPool2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    forEachWindow(g, (plane, o, [h0, h1], [w0, w1]) => {
      let sum = 0;
      for (let h = h0; h < h1; h++) for (let c = w0; c < w1; c++) sum += X[plane + h * g.w + c];
      O[o] = sum / ((h1 - h0) * (w1 - w0));
    });
  },

  adaptiveAvgPool2dBackward(dx, dy, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    forEachWindow(g, (plane, o, [h0, h1], [w0, w1]) => {
      const share = DY[o] / ((h1 - h0) * (w1 - w0));
      for (let h = h0; h < h1; h++) for (let c = w0; c < w1; c++) DX[plane + h * g.w + c] += share;
    });
  },

  adaptiveMaxPool2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    forEachWindow(g, (plane, o, rows, cols) => { O[o] = X[argmax(X, plane, g.w, rows, cols)]; });
  },

  adaptiveMaxPool2dBackward(dx, dy, x, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    const X = tsData(x);
    forEachWindow(g, (plane, o, rows, cols) => { DX[argmax(X, plane, g.w, rows, cols)] += DY[o]; });
  },
};

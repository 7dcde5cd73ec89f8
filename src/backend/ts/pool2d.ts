import type { Pool2dGeometry, PoolOps } from '../pool-ops.js';
import { tsData } from './storage.js';

// Pooling in plain TypeScript, in PyTorch's order of operations: outputs in row-major order, each
// window scanned row-major, sums rounded to f32 after every addition. The wasm kernels keep the same
// order for every output element, so both backends agree bit for bit.

/**
 * Calls `visit(o, start, rows, cols)` for every output o (flat, row-major): its window, clipped to the
 * input, is `rows`×`cols` elements from flat input index `start` (rows `g.w` apart).
 */
function forEachWindow(g: Pool2dGeometry, visit: (o: number, start: number, rows: number, cols: number) => void): void {
  const { h, w, outH, outW } = g;
  let o = 0;
  for (let plane = 0; plane < g.n * g.c * h * w; plane += h * w) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * g.strideH - g.padH;
      const yStart = Math.max(y0, 0);
      const rows = Math.min(y0 + g.kernelH, h) - yStart;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * g.strideW - g.padW;
        const xStart = Math.max(x0, 0);
        visit(o++, plane + yStart * w + xStart, rows, Math.min(x0 + g.kernelW, w) - xStart);
      }
    }
  }
}

/** The flat index of a window's maximum: the first on ties, the last NaN if any (PyTorch's rule). */
function argmax(x: Float32Array, start: number, rows: number, cols: number, w: number): number {
  let best = start;
  let max = -Infinity;
  for (let r = 0; r < rows; r++) {
    for (let i = start + r * w, end = i + cols; i < end; i++) {
      const v = x[i];
      if (v > max || v !== v) {
        max = v;
        best = i;
      }
    }
  }
  return best;
}

export const tsPoolOps: PoolOps = {
  maxPool2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    forEachWindow(g, (o, start, rows, cols) => {
      O[o] = X[argmax(X, start, rows, cols, g.w)];
    });
  },

  maxPool2dBackward(dx, dy, x, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    const X = tsData(x);
    forEachWindow(g, (o, start, rows, cols) => {
      DX[argmax(X, start, rows, cols, g.w)] += DY[o];
    });
  },

  avgPool2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    const divisor = g.kernelH * g.kernelW;
    forEachWindow(g, (o, start, rows, cols) => {
      let sum = 0;
      for (let r = 0; r < rows; r++) {
        for (let i = start + r * g.w, end = i + cols; i < end; i++) sum = Math.fround(sum + X[i]);
      }
      O[o] = sum / divisor;
    });
  },

  avgPool2dBackward(dx, dy, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    const divisor = g.kernelH * g.kernelW;
    forEachWindow(g, (o, start, rows, cols) => {
      const share = Math.fround(DY[o] / divisor);
      for (let r = 0; r < rows; r++) {
        for (let i = start + r * g.w, end = i + cols; i < end; i++) DX[i] += share;
      }
    });
  },
};

import type { Pool2dGeometry, PoolOps } from '../pool-ops.js';
import { tsElementwiseOps } from './elementwise.js';
import { tsData } from './storage.js';

// Pooling in plain TypeScript, in PyTorch's order of operations: outputs in row-major order, each
// window scanned row-major, sums rounded to f32 after every addition. The wasm kernels keep the same
// order for every output element, so both backends agree bit for bit.

/** Every window of a plane, clipped to the input: output q reads rows[q]×cols[q] elements from start[q]. */
interface Windows {
  start: Int32Array;
  rows: Int32Array;
  cols: Int32Array;
}

/** The windows of one plane (the same for every plane), in output order. */
function planeWindows(g: Pool2dGeometry): Windows {
  const { h, w, outH, outW } = g;
  const win = { start: new Int32Array(outH * outW), rows: new Int32Array(outH * outW), cols: new Int32Array(outH * outW) };
  for (let oy = 0, q = 0; oy < outH; oy++) {
    const y0 = oy * g.strideH - g.padH;
    const yStart = Math.max(y0, 0);
    for (let ox = 0; ox < outW; ox++, q++) {
      const x0 = ox * g.strideW - g.padW;
      const xStart = Math.max(x0, 0);
      win.start[q] = yStart * w + xStart;
      win.rows[q] = Math.min(y0 + g.kernelH, h) - yStart;
      win.cols[q] = Math.min(x0 + g.kernelW, w) - xStart;
    }
  }
  return win;
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
    const { start, rows, cols } = planeWindows(g);
    for (let p = 0, o = 0, base = 0; p < g.n * g.c; p++, base += g.h * g.w) {
      for (let q = 0; q < start.length; q++, o++) O[o] = X[argmax(X, base + start[q], rows[q], cols[q], g.w)];
    }
  },

  maxPool2dBackward(dx, dy, x, g, reluMask = false) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    const X = tsData(x);
    const { start, rows, cols } = planeWindows(g);
    for (let p = 0, o = 0, base = 0; p < g.n * g.c; p++, base += g.h * g.w) {
      for (let q = 0; q < start.length; q++, o++) DX[argmax(X, base + start[q], rows[q], cols[q], g.w)] += DY[o];
    }
    if (reluMask) tsElementwiseOps.unaryBackward('relu', dx, dx, x, DX.length);
  },

  avgPool2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    const divisor = g.kernelH * g.kernelW;
    const { start, rows, cols } = planeWindows(g);
    for (let p = 0, o = 0, base = 0; p < g.n * g.c; p++, base += g.h * g.w) {
      for (let q = 0; q < start.length; q++, o++) {
        let sum = 0;
        for (let r = 0; r < rows[q]; r++) {
          for (let i = base + start[q] + r * g.w, end = i + cols[q]; i < end; i++) sum = Math.fround(sum + X[i]);
        }
        O[o] = sum / divisor;
      }
    }
  },

  avgPool2dBackward(dx, dy, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    const divisor = g.kernelH * g.kernelW;
    const { start, rows, cols } = planeWindows(g);
    for (let p = 0, o = 0, base = 0; p < g.n * g.c; p++, base += g.h * g.w) {
      for (let q = 0; q < start.length; q++, o++) {
        const share = Math.fround(DY[o] / divisor);
        for (let r = 0; r < rows[q]; r++) {
          for (let i = base + start[q] + r * g.w, end = i + cols[q]; i < end; i++) DX[i] += share;
        }
      }
    }
  },
};

import type { Resize2dGeometry, ResizeOps } from '../resize-ops.js';
import { tsData } from './storage.js';

/**
 * Calls visit(output index, taps) for every output of the resize, with its (up to) four input
 * offsets and weights: nearest has one tap of weight 1.
 */
function forEachOutput(g: Resize2dGeometry, visit: (o: number, at: number[], weights: number[]) => void): void {
  const { rows, cols } = g;
  for (let p = 0; p < g.planes; p++) {
    const plane = p * g.h * g.w;
    for (let i = 0; i < g.outH; i++) {
      for (let j = 0; j < g.outW; j++) {
        const o = (p * g.outH + i) * g.outW + j;
        const [r0, r1, c0, c1] = [plane + rows.index0[i] * g.w, plane + rows.index1[i] * g.w, cols.index0[j], cols.index1[j]];
        if (g.mode === 'nearest') visit(o, [r0 + c0], [1]);
        else visit(o, [r0 + c0, r0 + c1, r1 + c0, r1 + c1], [rows.weight0[i] * cols.weight0[j], rows.weight0[i] * cols.weight1[j], rows.weight1[i] * cols.weight0[j], rows.weight1[i] * cols.weight1[j]]);
      }
    }
  }
}

export const tsResizeOps: ResizeOps = {
  resize2dForward(out, x, g) {
    const O = tsData(out);
    const X = tsData(x);
    forEachOutput(g, (o, at, weights) => { O[o] = at.reduce((sum, a, k) => sum + weights[k] * X[a], 0); });
  },

  resize2dBackward(dx, dy, g) {
    const DX = tsData(dx).fill(0);
    const DY = tsData(dy);
    forEachOutput(g, (o, at, weights) => at.forEach((a, k) => { DX[a] += weights[k] * DY[o]; }));
  },
};

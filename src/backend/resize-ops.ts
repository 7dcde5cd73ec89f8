import type { Storage } from './backend.js';

/**
 * Where the outputs along one axis read from: output i reads input positions index0[i] and
 * index1[i] with weights weight0[i] and weight1[i] (bilinear), or index0[i] alone (nearest).
 */
export interface ResizeTaps {
  index0: Int32Array;
  index1: Int32Array;
  weight0: Float32Array;
  weight1: Float32Array;
}

/** One 2-D resize: input [planes, h, w] to output [planes, outH, outW] through the taps of each axis. */
export interface Resize2dGeometry {
  mode: 'nearest' | 'bilinear';
  planes: number;
  h: number;
  w: number;
  outH: number;
  outW: number;
  rows: ResizeTaps;
  cols: ResizeTaps;
}

/** Resizing of image planes by tap tables (the tables carry PyTorch's index and weight rules). */
export interface ResizeOps {
  /**
   * Nearest: out[p, i, j] = x[p, rows.index0[i], cols.index0[j]]. Bilinear:
   * out = wr0·(wc0·x[r0, c0] + wc1·x[r0, c1]) + wr1·(wc0·x[r1, c0] + wc1·x[r1, c1]).
   */
  resize2dForward(out: Storage, x: Storage, g: Resize2dGeometry): void;
  /** dx [planes, h, w] (overwritten) = dy scattered back through the same taps. */
  resize2dBackward(dx: Storage, dy: Storage, g: Resize2dGeometry): void;
}

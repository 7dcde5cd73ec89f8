import type { Storage } from './backend.js';

/**
 * The shape of one adaptive pooling: input [n, c, h, w], output [n, c, outH, outW]; output row oh
 * pools input rows [⌊oh·h/outH⌋, ⌈(oh + 1)·h/outH⌉), columns likewise (PyTorch's windows).
 */
export interface AdaptivePool2dGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  outH: number;
  outW: number;
}

/**
 * 2-D adaptive average and max pooling with PyTorch's semantics: every plane (n·c of them) on its
 * own; max takes the first maximum in row-major window order, a NaN always counting as the maximum.
 */
export interface AdaptivePoolOps {
  /** out [n, c, outH, outW] = mean of each window of x [n, c, h, w]. */
  adaptiveAvgPool2dForward(out: Storage, x: Storage, g: AdaptivePool2dGeometry): void;
  /** dx [n, c, h, w] (overwritten) = Σ over the windows holding each element of dy / window size. */
  adaptiveAvgPool2dBackward(dx: Storage, dy: Storage, g: AdaptivePool2dGeometry): void;
  /** out [n, c, outH, outW] = max of each window of x [n, c, h, w]. */
  adaptiveMaxPool2dForward(out: Storage, x: Storage, g: AdaptivePool2dGeometry): void;
  /** dx [n, c, h, w] (overwritten) = dy routed to each window's argmax, recomputed from x. */
  adaptiveMaxPool2dBackward(dx: Storage, dy: Storage, x: Storage, g: AdaptivePool2dGeometry): void;
}

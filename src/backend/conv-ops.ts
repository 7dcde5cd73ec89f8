import type { Storage } from './backend.js';

/**
 * The sizes of one 2-D convolution: input [n, c, h, w] (NCHW), weight [k, c/groups, r, s], output
 * [n, k, outH, outW] with outH = ⌊(h + 2·padH − dilationH·(r − 1) − 1) / strideH⌋ + 1 (outW likewise).
 */
export interface Conv2dGeometry {
  n: number; c: number; h: number; w: number;
  k: number; r: number; s: number;
  strideH: number; strideW: number;
  padH: number; padW: number;
  dilationH: number; dilationW: number;
  groups: number;
  outH: number; outW: number;
}

/** Convolution primitives (PyTorch's conv2d semantics: cross-correlation, zero padding). All overwrite their outputs. */
export interface ConvOps {
  /**
   * out [n, k, outH, outW] = conv2d(input [n, c, h, w], weight [k, c/groups, r, s]) + bias [k] (if
   * given); then, when `relu`, max(out, 0) with the bits of `unary('relu', …)` (NaN and −0 pass).
   */
  conv2dForward(out: Storage, input: Storage, weight: Storage, bias: Storage | undefined, g: Conv2dGeometry, relu?: boolean): void;
  /** dInput [n, c, h, w] = dL/d(input), given dOut = dL/d(out) [n, k, outH, outW]. */
  conv2dBackwardInput(dInput: Storage, dOut: Storage, weight: Storage, g: Conv2dGeometry): void;
  /** dWeight [k, c/groups, r, s] and dBias [k] (if given) = dL/d(weight), dL/d(bias), summed over the batch. */
  conv2dBackwardWeight(dWeight: Storage, dBias: Storage | undefined, dOut: Storage, input: Storage, g: Conv2dGeometry): void;
}

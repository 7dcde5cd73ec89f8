import type { Storage } from './backend.js';

/**
 * The shape of one 2-D pooling: input [n, c, h, w] (NCHW), window kernelH×kernelW moved by
 * strideH/strideW over the input padded by padH/padW on each side, output [n, c, outH, outW] with
 * outH = floor((h + 2·padH − kernelH) / strideH) + 1 (PyTorch, ceil_mode false). Callers guarantee
 * 0 ≤ pad ≤ kernel/2 and kernel ≤ h + 2·pad (so every window holds at least one input element).
 */
export interface Pool2dGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  outH: number;
  outW: number;
}

/**
 * 2-D max and average pooling with PyTorch's semantics. Every plane (n·c of them) is pooled on its
 * own. Max pooling pads with −∞; its argmax is the first maximum in row-major window order, except
 * that a NaN always counts as the maximum (the last NaN wins, as in PyTorch). Average pooling pads
 * with zeros and always divides by kernelH·kernelW (count_include_pad, no divisor override).
 */
export interface PoolOps {
  /** out [n, c, outH, outW] = max over each window of x [n, c, h, w]. */
  maxPool2dForward(out: Storage, x: Storage, g: Pool2dGeometry): void;
  /**
   * dx [n, c, h, w] (overwritten) = Σ over outputs of dy routed to the argmax of its window, which is
   * recomputed from x [n, c, h, w] (no indices are saved); dy is [n, c, outH, outW]. With `reluMask`
   * (x is a ReLU's output), dx then goes on through that ReLU with the bits of
   * `unaryBackward('relu', dx, dx, x)`: the gradient of maxPool2d(relu(z)) with respect to z.
   */
  maxPool2dBackward(dx: Storage, dy: Storage, x: Storage, g: Pool2dGeometry, reluMask?: boolean): void;
  /** out [n, c, outH, outW] = (sum over each window of x [n, c, h, w]) / (kernelH·kernelW). */
  avgPool2dForward(out: Storage, x: Storage, g: Pool2dGeometry): void;
  /** dx [n, c, h, w] (overwritten) = Σ over windows containing each element of dy / (kernelH·kernelW). */
  avgPool2dBackward(dx: Storage, dy: Storage, g: Pool2dGeometry): void;
}

import { recordOp } from '../autograd.js';
import type { Backend, Storage } from '../backend/index.js';
import type { Pool2dGeometry } from '../backend/pool-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import { slidingWindow } from '../spatial-window.js';
import { Tensor } from '../tensor.js';
import { pairOption, type Pair } from './pair.js';

/** Options of `maxPool2d` and `avgPool2d`, as in PyTorch (ceil_mode false). */
export interface Pool2dFunctionalOptions {
  /** Window size: one number for both axes, or `[h, w]`. */
  kernelSize: Pair;
  /** Step between windows (default: `kernelSize`). */
  stride?: Pair;
  /** Implicit padding on each side, at most half the kernel (default 0): −∞ for max, zeros for avg. */
  padding?: Pair;
}

/**
 * 2-D max pooling, as PyTorch's `F.max_pool2d`: `x` [N, C, H, W] → [N, C, OH, OW] with
 * OH = ⌊(H + 2·padding − kernel) / stride⌋ + 1 (OW likewise). NaN counts as the maximum.
 * Differentiable: the gradient goes to each window's argmax, the first maximum in row-major window
 * order on ties (as in PyTorch); the argmax is recomputed from `x` in backward, not stored.
 */
export function maxPool2d(x: Tensor, options: Pool2dFunctionalOptions): Tensor {
  return pool2d('maxPool2d', x, options,
    (backend, out, g) => backend.maxPool2dForward(out, x.storage, g),
    (backend, dx, dy, g) => backend.maxPool2dBackward(dx, dy, x.storage, g));
}

/**
 * 2-D average pooling, as PyTorch's `F.avg_pool2d` with its defaults: the padding counts as zeros
 * and every window is divided by kernelH·kernelW. `x` [N, C, H, W] → [N, C, OH, OW]. Differentiable.
 */
export function avgPool2d(x: Tensor, options: Pool2dFunctionalOptions): Tensor {
  return pool2d('avgPool2d', x, options,
    (backend, out, g) => backend.avgPool2dForward(out, x.storage, g),
    (backend, dx, dy, g) => backend.avgPool2dBackward(dx, dy, g));
}

/** The shared frame of both poolings: geometry, output allocation and the recorded gradient rule. */
function pool2d(
  op: string, x: Tensor, options: Pool2dFunctionalOptions,
  forward: (backend: Backend, out: Storage, g: Pool2dGeometry) => void,
  backward: (backend: Backend, dx: Storage, dy: Storage, g: Pool2dGeometry) => void,
): Tensor {
  const g = pool2dGeometry(x.shape, options, op);
  const backend = x.backend;
  const out = backend.empty(g.n * g.c * g.outH * g.outW); // forward and backward overwrite their outputs
  forward(backend, out, g);
  const y = new Tensor(out, [g.n, g.c, g.outH, g.outW], backend);
  return recordOp(op, y, [x], (gy) => {
    const dx = backend.empty(x.size);
    backward(backend, dx, gy.storage, g);
    return [new Tensor(dx, x.shape, backend)];
  }, [], slidingWindow([g.kernelH, g.kernelW], [g.strideH, g.strideW]));
}

/**
 * Checks a pooling's input shape and options and returns its geometry; throws a SimdnnError naming
 * `op`, the input shape and the offending option.
 */
export function pool2dGeometry(xShape: readonly number[], options: Pool2dFunctionalOptions, op = 'pool2d'): Pool2dGeometry {
  // No closure per call (this runs on every pooling): `fail` takes what names the call.
  if (xShape.length !== 4) fail(op, xShape, 'input must be 4-D [N, C, H, W]');
  const n = xShape[0], c = xShape[1], h = xShape[2], w = xShape[3];
  if (c === 0 || h === 0 || w === 0) fail(op, xShape, 'input has an empty channel or spatial dimension');
  const [kernelH, kernelW] = pairOption(options.kernelSize, 'kernelSize', 1, (m) => fail(op, xShape, m));
  const [strideH, strideW] = pairOption(options.stride ?? options.kernelSize, 'stride', 1, (m) => fail(op, xShape, m));
  const [padH, padW] = pairOption(options.padding ?? 0, 'padding', 0, (m) => fail(op, xShape, m));
  if (2 * padH > kernelH || 2 * padW > kernelW) {
    fail(op, xShape, `padding=[${padH}, ${padW}] must be at most half of kernelSize=[${kernelH}, ${kernelW}]`);
  }
  if (kernelH > h + 2 * padH || kernelW > w + 2 * padW) {
    fail(op, xShape, `kernelSize=[${kernelH}, ${kernelW}] is larger than the input ${h}×${w} with padding=[${padH}, ${padW}]`);
  }
  const outH = Math.floor((h + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - kernelW) / strideW) + 1;
  return { n, c, h, w, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW };
}

/** Throws a pooling's SimdnnError: `op`, what is wrong, and the input's shape. */
function fail(op: string, xShape: readonly number[], message: string): never {
  throw new SimdnnError(`${op}: ${message} (input ${formatShape(xShape)})`);
}

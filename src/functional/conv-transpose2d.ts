import { recordOp } from '../autograd.js';
import type { Conv2dGeometry } from '../backend/conv-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import { add } from '../ops/arithmetic.js';
import { commonBackend } from '../ops/dims.js';
import { Tensor } from '../tensor.js';
import { conv2dGeometry } from './conv2d.js';
import { pairOption, type Pair } from './pair.js';
import type { SpatialWindow } from '../spatial-window.js';

/** Options of `convTranspose2d`, as PyTorch's `F.conv_transpose2d`. */
export interface ConvTranspose2dFunctionalOptions {
  /** Step between input pixels in the output (default 1). */
  stride?: Pair;
  /** Rows and columns removed from each side of the full output (default 0). */
  padding?: Pair;
  /** Rows and columns added at the bottom and right of the output, below `stride` (default 0). */
  outputPadding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Channel groups (default 1). */
  groups?: number;
}

/**
 * 2-D transposed convolution (the gradient of conv2d with respect to its input), as PyTorch's
 * `F.conv_transpose2d`: `x` [N, Cin, H, W], `weight` [Cin, Cout/groups, kH, kW], optional `bias`
 * [Cout] → [N, Cout, OH, OW] with OH = (H − 1)·stride − 2·padding + dilation·(kH − 1) +
 * outputPadding + 1 (OW likewise). It runs the convolution kernels with the roles swapped: forward
 * is conv2d's input gradient, the input gradient is conv2d's forward and the weight gradient is
 * conv2d's weight gradient. Differentiable in `x`, `weight` and `bias`.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor, options: ConvTranspose2dFunctionalOptions = {}): Tensor {
  const g = convTranspose2dGeometry(x.shape, weight.shape, bias?.shape, options);
  // g describes the convolution from the output back to x: its input is [N, Cout, OH, OW].
  const backend = commonBackend('convTranspose2d', x, weight, ...(bias ? [bias] : []));
  const out = backend.empty(g.n * g.c * g.h * g.w);
  backend.conv2dBackwardInput(out, x.storage, weight.storage, g);
  const y = recordOp('convTranspose2d', new Tensor(out, [g.n, g.c, g.h, g.w], backend), [x, weight], (gy) => {
    let gx: Tensor | undefined;
    if (x.requiresGrad) {
      gx = new Tensor(backend.empty(x.size), x.shape, backend);
      backend.conv2dForward(gx.storage, gy.storage, weight.storage, undefined, g);
    }
    let gw: Tensor | undefined;
    if (weight.requiresGrad) {
      gw = new Tensor(backend.empty(weight.size), weight.shape, backend);
      backend.conv2dBackwardWeight(gw.storage, undefined, x.storage, gy.storage, g);
    }
    return [gx, gw];
  }, [], transposedWindow(g));
  return bias ? add(y, bias.reshape([1, g.c, 1, 1])) : y;
}

/**
 * Checks a transposed convolution's operands and options and returns the geometry of the
 * convolution it transposes (input [N, Cout, OH, OW], output [N, Cin, H, W]); throws a SimdnnError
 * naming the shapes and the offending option.
 */
export function convTranspose2dGeometry(
  xShape: readonly number[], wShape: readonly number[], biasShape: readonly number[] | undefined,
  options: ConvTranspose2dFunctionalOptions,
): Conv2dGeometry {
  const fail = (message: string): never => {
    throw new SimdnnError(`convTranspose2d: ${message} (input ${formatShape(xShape)}, weight ${formatShape(wShape)})`);
  };
  if (xShape.length !== 4) fail('input must be 4-D [N, Cin, H, W]');
  if (wShape.length !== 4) fail('weight must be 4-D [Cin, Cout/groups, kH, kW]');
  const [n, cin, h, w] = xShape;
  const [wIn, coutPerGroup, r, s] = wShape;
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1 || cin % groups !== 0) fail(`groups=${groups} must be a positive integer dividing the input channels (${cin})`);
  if (wIn !== cin) fail(`the input has ${cin} channels but the weight expects ${wIn} (weight.shape[0])`);
  const cout = coutPerGroup * groups;
  if (biasShape && (biasShape.length !== 1 || biasShape[0] !== cout)) fail(`bias of shape ${formatShape(biasShape)} must be [${cout}], one value per output channel`);
  const [strideH, strideW] = pairOption(options.stride ?? 1, 'stride', 1, fail);
  const [padH, padW] = pairOption(options.padding ?? 0, 'padding', 0, fail);
  const [outPadH, outPadW] = pairOption(options.outputPadding ?? 0, 'outputPadding', 0, fail);
  const [dilationH, dilationW] = pairOption(options.dilation ?? 1, 'dilation', 1, fail);
  if (outPadH >= strideH || outPadW >= strideW) fail(`outputPadding=[${outPadH}, ${outPadW}] must be smaller than stride=[${strideH}, ${strideW}]`);
  const outH = (h - 1) * strideH - 2 * padH + dilationH * (r - 1) + outPadH + 1;
  const outW = (w - 1) * strideW - 2 * padW + dilationW * (s - 1) + outPadW + 1;
  if (outH < 1 || outW < 1) fail(`the output would be ${outH}×${outW}: padding=[${padH}, ${padW}] removes more than the output has`);
  const conv = { stride: [strideH, strideW], padding: [padH, padW], dilation: [dilationH, dilationW], groups } as const;
  return conv2dGeometry([n, cout, outH, outW], wShape, undefined, conv, 'convTranspose2d');
}

/**
 * The window of a transposed convolution: output o reads the inputs i with i·stride + tap·dilation =
 * o + padding, about ⌈span / stride⌉ of them one apart, and the output has `stride` units per input.
 */
function transposedWindow(g: Conv2dGeometry): SpatialWindow {
  const taps = (kernel: number, dilation: number, stride: number) => Math.ceil((dilation * (kernel - 1) + 1) / stride);
  return { taps: [taps(g.r, g.dilationH, g.strideH), taps(g.s, g.dilationW, g.strideW)], spacing: [1, 1], scale: [g.strideH, g.strideW] };
}

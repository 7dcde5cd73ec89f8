import { recordOp } from '../autograd.js';
import type { Conv2dGeometry } from '../backend/conv-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import { slidingWindow } from '../spatial-window.js';
import { Tensor } from '../tensor.js';
import { pairOption, type Pair } from './pair.js';
import { pool2dGeometry, type Pool2dFunctionalOptions } from './pool2d.js';

/** Options of `conv2d`, as in PyTorch: stride, zero padding and dilation per axis, and channel groups. */
export interface Conv2dFunctionalOptions {
  /** Step between output pixels (default 1). */
  stride?: Pair;
  /** Zeros added on each side of the input (default 0). */
  padding?: Pair;
  /** Spacing between kernel taps (default 1). */
  dilation?: Pair;
  /** Input and output channels split into this many independent groups (default 1; depthwise: groups = channels). */
  groups?: number;
  /**
   * An activation applied to the output in the same pass (simdnn's addition, like Keras'
   * `Conv2D(activation='relu')`): `'relu'` gives exactly `relu(conv2d(x, weight, bias))`, bits and
   * gradients included, without a separate pass over the output. `nn.Sequential` uses it for a
   * `Conv2d` followed by a `ReLU`.
   */
  activation?: 'relu';
}

/**
 * 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`): `x` [N, C, H, W], `weight`
 * [K, C/groups, R, S], optional `bias` [K] → [N, K, OH, OW] with
 * OH = ⌊(H + 2·padding − dilation·(R − 1) − 1) / stride⌋ + 1 (OW likewise).
 * Differentiable in `x`, `weight` and `bias`.
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor, options: Conv2dFunctionalOptions = {}): Tensor {
  const relu = options.activation === 'relu';
  if (options.activation !== undefined && !relu) {
    throw new SimdnnError(`conv2d: activation '${String(options.activation)}' is not supported (only 'relu')`);
  }
  const { y, g } = convolve(x, weight, bias, options, relu);
  return recordOp(relu ? 'conv2d+relu' : 'conv2d', y, [x, weight, bias], (gradient) => {
    if (!relu) return convGradients(x, weight, bias, g, gradient);
    // Through the ReLU first, as relu's own rule does (from its output y): the same bits as conv2d then relu.
    const gy = new Tensor(y.backend.empty(y.size), y.shape, y.backend);
    y.backend.unaryBackward('relu', gy.storage, gradient.storage, y.storage, y.size);
    return withTemporary(gy, () => convGradients(x, weight, bias, g, gy));
  }, [], slidingWindow([g.r, g.s], [g.strideH, g.strideW], [g.dilationH, g.dilationW]));
}

/**
 * `maxPool2d(conv2d(x, weight, bias, { ...convOptions, activation: 'relu' }), poolOptions)` as one op,
 * with the same bits and gradients: `nn.Sequential` runs a Conv2d, ReLU, MaxPool2d so. Its backward
 * routes the gradient to each window's argmax and through the ReLU in one kernel, so no separate pass
 * over the convolution's output applies the ReLU's gradient.
 */
export function conv2dReluMaxPool2d(
  x: Tensor, weight: Tensor, bias: Tensor | undefined, convOptions: Omit<Conv2dFunctionalOptions, 'activation'>, poolOptions: Pool2dFunctionalOptions,
): Tensor {
  const { y, g } = convolve(x, weight, bias, convOptions, true);
  const pg = pool2dGeometry(y.shape, poolOptions, 'maxPool2d');
  const backend = x.backend;
  const out = backend.empty(pg.n * pg.c * pg.outH * pg.outW);
  backend.maxPool2dForward(out, y.storage, pg);
  const pooled = new Tensor(out, [pg.n, pg.c, pg.outH, pg.outW], backend);
  // y is kept for the backward (the argmax and the ReLU's mask) and freed after it.
  return recordOp('conv2d+relu+maxPool2d', pooled, [x, weight, bias], (gradient) => {
    const gy = new Tensor(backend.empty(y.size), y.shape, backend);
    backend.maxPool2dBackward(gy.storage, gradient.storage, y.storage, pg, true);
    return withTemporary(gy, () => convGradients(x, weight, bias, g, gy));
  }, [y.storage]);
}

/** conv2d's forward kernel (with the ReLU when `relu`): the output y and the geometry. */
function convolve(x: Tensor, weight: Tensor, bias: Tensor | undefined, options: Conv2dFunctionalOptions, relu: boolean): { y: Tensor; g: Conv2dGeometry } {
  const g = conv2dGeometry(x.shape, weight.shape, bias?.shape, options);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && t.backend !== x.backend) {
      throw new SimdnnError(`conv2d: input and ${name} live on different backends ('${x.backend.name}' and '${t.backend.name}')`);
    }
  }
  const backend = x.backend;
  const out = backend.empty(g.n * g.k * g.outH * g.outW); // every kernel below overwrites its output
  backend.conv2dForward(out, x.storage, weight.storage, bias?.storage, g, relu);
  return { y: new Tensor(out, [g.n, g.k, g.outH, g.outW], backend), g };
}

/** The gradients of conv2d with respect to x, weight and bias (those that require one), given gy. */
function convGradients(x: Tensor, weight: Tensor, bias: Tensor | undefined, g: Conv2dGeometry, gy: Tensor): (Tensor | undefined)[] {
  const backend = x.backend;
  let gx: Tensor | undefined;
  if (x.requiresGrad) {
    gx = new Tensor(backend.empty(x.size), x.shape, backend);
    backend.conv2dBackwardInput(gx.storage, gy.storage, weight.storage, g);
  }
  let gw: Tensor | undefined;
  let gb: Tensor | undefined;
  if (weight.requiresGrad || bias?.requiresGrad) {
    gw = new Tensor(backend.empty(weight.size), weight.shape, backend);
    gb = bias?.requiresGrad ? new Tensor(backend.empty(bias.size), bias.shape, backend) : undefined;
    backend.conv2dBackwardWeight(gw.storage, gb?.storage, gy.storage, x.storage, g);
  }
  return [gx, weight.requiresGrad ? gw : undefined, gb];
}

/** `use()`, then frees `temporary` (also when it throws). */
function withTemporary<T>(temporary: Tensor, use: () => T): T {
  try {
    return use();
  } finally {
    temporary.dispose();
  }
}

/**
 * Checks a convolution's operands and options and returns its geometry; throws a SimdnnError naming
 * `op`, the shapes and the offending option. `biasShape` is undefined when there is no bias.
 */
export function conv2dGeometry(
  xShape: readonly number[], wShape: readonly number[], biasShape: readonly number[] | undefined,
  options: Conv2dFunctionalOptions, op = 'conv2d',
): Conv2dGeometry {
  // No closure per call (this runs on every convolution): `fail` takes what names the call.
  if (xShape.length !== 4) fail(op, xShape, wShape, 'input must be 4-D [N, C, H, W]');
  if (wShape.length !== 4) fail(op, xShape, wShape, 'weight must be 4-D [out, in/groups, kH, kW]');
  const n = xShape[0], c = xShape[1], h = xShape[2], w = xShape[3];
  const k = wShape[0], cPerGroup = wShape[1], r = wShape[2], s = wShape[3];
  if (k === 0 || cPerGroup === 0 || r === 0 || s === 0) fail(op, xShape, wShape, 'weight has an empty dimension');

  const [strideH, strideW] = pairOption(options.stride ?? 1, 'stride', 1, (m) => fail(op, xShape, wShape, m));
  const [padH, padW] = pairOption(options.padding ?? 0, 'padding', 0, (m) => fail(op, xShape, wShape, m));
  const [dilationH, dilationW] = pairOption(options.dilation ?? 1, 'dilation', 1, (m) => fail(op, xShape, wShape, m));
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) fail(op, xShape, wShape, `groups=${groups} must be a positive integer`);
  if (c % groups !== 0 || k % groups !== 0) fail(op, xShape, wShape, `groups=${groups} must divide the input channels (${c}) and the output channels (${k})`);
  if (c !== cPerGroup * groups) fail(op, xShape, wShape, `the input has ${c} channels but the weight expects ${cPerGroup * groups} (weight.shape[1] = ${cPerGroup} × groups=${groups})`);
  if (biasShape && (biasShape.length !== 1 || biasShape[0] !== k)) fail(op, xShape, wShape, `bias of shape ${formatShape(biasShape)} must be [${k}], one value per output channel`);

  const kernelH = dilationH * (r - 1) + 1;
  const kernelW = dilationW * (s - 1) + 1;
  if (kernelH > h + 2 * padH || kernelW > w + 2 * padW) {
    fail(op, xShape, wShape, `the kernel ${r}×${s} with dilation=[${dilationH}, ${dilationW}] spans ${kernelH}×${kernelW}, larger than the input ${h}×${w} with padding=[${padH}, ${padW}]`);
  }
  const outH = Math.floor((h + 2 * padH - kernelH) / strideH) + 1;
  const outW = Math.floor((w + 2 * padW - kernelW) / strideW) + 1;
  return { n, c, h, w, k, r, s, strideH, strideW, padH, padW, dilationH, dilationW, groups, outH, outW };
}

/** Throws a convolution's SimdnnError: `op`, what is wrong, and the shapes. */
function fail(op: string, xShape: readonly number[], wShape: readonly number[], message: string): never {
  throw new SimdnnError(`${op}: ${message} (input ${formatShape(xShape)}, weight ${formatShape(wShape)})`);
}

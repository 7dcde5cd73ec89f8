// Resize of 4-D images: nearest (PyTorch's: asymmetric coordinates, floor) and bilinear (half-pixel or
// align_corners), by scales or sizes, through sn.F.interpolate.
import * as sn from '../../index.js';
import { hostNumbers } from '../host-tensor.js';
import type { LoadContext, OpSpec } from './op.js';

/** The interpolate mode and alignCorners a Resize node's attributes ask for, or the node's error. */
function resizeMode(ctx: LoadContext): Pick<sn.F.InterpolateOptions, 'mode' | 'alignCorners'> {
  const { attrs } = ctx;
  const mode = attrs.string('mode', 'nearest');
  const coordinates = attrs.string('coordinate_transformation_mode', 'half_pixel');
  if (attrs.int('antialias', 0) !== 0) ctx.fail('antialias = 1 is unsupported');
  if (attrs.int('exclude_outside', 0) !== 0) ctx.fail('exclude_outside = 1 is unsupported');
  if (attrs.has('axes')) ctx.fail('attribute "axes" is unsupported');
  if (attrs.string('keep_aspect_ratio_policy', 'stretch') !== 'stretch') ctx.fail('keep_aspect_ratio_policy other than "stretch" is unsupported');
  if (mode === 'nearest') {
    const rounding = attrs.string('nearest_mode', 'round_prefer_floor');
    if (coordinates !== 'asymmetric' || rounding !== 'floor') {
      ctx.fail(`nearest mode with coordinate_transformation_mode "${coordinates}" and nearest_mode "${rounding}" is unsupported (only "asymmetric" with "floor", PyTorch's nearest)`);
    }
    return { mode: 'nearest' };
  }
  if (mode === 'linear') {
    if (coordinates === 'align_corners') return { mode: 'bilinear', alignCorners: true };
    if (coordinates === 'half_pixel' || coordinates === 'pytorch_half_pixel') return { mode: 'bilinear', alignCorners: false };
    ctx.fail(`linear mode with coordinate_transformation_mode "${coordinates}" is unsupported (half_pixel, pytorch_half_pixel, align_corners)`);
  }
  return ctx.fail(`mode "${mode}" is unsupported (nearest, linear)`);
}

/**
 * The output size of the two spatial axes, by `sizes` (input 3: [N, C, H, W], whose N and C may be
 * the input's own run-time dimensions, from Shape → Slice → Concat) or by `scales` (input 2).
 */
function resizeTarget(ctx: LoadContext): Pick<sn.F.InterpolateOptions, 'size' | 'scaleFactor'> {
  const sizes = ctx.has(3) ? ctx.requireConstant(3, 'sizes') : undefined;
  if (sizes && sizes.data.length > 0) {
    if (sizes.data.length !== 4) ctx.fail(`sizes must give 4 values [N, C, H, W], got ${sizes.data.length}`);
    const [h, w] = hostNumbers({ ...sizes, dims: [2], data: sizes.data.slice(2) }, 'sizes H and W');
    return { size: [h, w] };
  }
  const scales = ctx.has(2) ? hostNumbers(ctx.requireConstant(2, 'scales'), 'scales') : [];
  if (scales.length !== 4) ctx.fail(`needs scales or sizes for the 4 dimensions [N, C, H, W], got scales [${scales.join(', ')}]`);
  if (scales[0] !== 1 || scales[1] !== 1) ctx.fail(`scales [${scales.join(', ')}] resize the batch or channels, which is unsupported`);
  return { scaleFactor: [scales[2], scales[3]] };
}

/** `Resize` (opset 11 to 18): X, roi (ignored by these modes), scales, sizes. */
const resize: OpSpec = {
  inputs: [1, 4],
  attributes: ['antialias', 'axes', 'coordinate_transformation_mode', 'cubic_coeff_a', 'exclude_outside', 'extrapolation_value', 'keep_aspect_ratio_policy', 'mode', 'nearest_mode'],
  staticInputs: [1, 2, 3],
  build: (ctx) => {
    const options = { ...resizeMode(ctx), ...resizeTarget(ctx) };
    return ([x]) => {
      if (x!.ndim !== 4) ctx.fail(`input of rank ${x!.ndim} is unsupported (4-D [N, C, H, W])`);
      return [sn.F.interpolate(x!, options)];
    };
  },
};

/** Resizing operators by ONNX op type. */
export const RESIZE_OPS: Record<string, OpSpec> = {
  Resize: resize,
};

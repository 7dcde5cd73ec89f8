import { recordOp } from '../autograd.js';
import type { Resize2dGeometry, ResizeTaps } from '../backend/resize-ops.js';
import { SimdnnError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';

/** Options of `interpolate` (and `nn.Upsample`), as PyTorch's: give `size` or `scaleFactor`. */
export interface InterpolateOptions {
  /** The output's [h, w], or one number for both. */
  size?: number | readonly [number, number];
  /** The output is ⌊h·scaleFactor⌋ × ⌊w·scaleFactor⌋; one number for both axes, or [h, w]. */
  scaleFactor?: number | readonly [number, number];
  /** `'nearest'` (default: PyTorch's, each output reads input ⌊i·scale⌋) or `'bilinear'`. */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels' centres instead of the image edges (default false). */
  alignCorners?: boolean;
}

/**
 * Resizes the images of `x` [N, C, H, W], as PyTorch's `F.interpolate` (which `nn.Upsample` calls):
 * nearest neighbour, or bilinear with `alignCorners` false (default) or true. Source positions and
 * weights follow PyTorch's CPU kernels in f32, so both backends read the same pixels as PyTorch.
 * Differentiable in x.
 */
export function interpolate(x: Tensor, options: InterpolateOptions): Tensor {
  const g = resizeGeometry(x.shape, options);
  const backend = x.backend;
  const out = backend.empty(g.planes * g.outH * g.outW);
  backend.resize2dForward(out, x.storage, g);
  return recordOp('interpolate', new Tensor(out, [x.shape[0], x.shape[1], g.outH, g.outW], backend), [x], (gy) => {
    const dx = backend.empty(x.size);
    backend.resize2dBackward(dx, gy.storage, g);
    return [new Tensor(dx, x.shape, backend)];
  }, [], { taps: g.mode === 'nearest' ? [1, 1] : [2, 2], spacing: [1, 1], scale: [g.outH / g.h, g.outW / g.w] });
}

/** Checks the input and options; the geometry and tap tables of the resize. */
function resizeGeometry(shape: readonly number[], { size, scaleFactor, mode = 'nearest', alignCorners }: InterpolateOptions): Resize2dGeometry {
  const fail = (message: string): never => {
    throw new SimdnnError(`interpolate: ${message} (input ${formatShape(shape)})`);
  };
  if (shape.length !== 4) fail('input must be 4-D [N, C, H, W]');
  if (mode !== 'nearest' && mode !== 'bilinear') fail(`mode must be 'nearest' or 'bilinear', got ${JSON.stringify(mode)}`);
  if (alignCorners !== undefined && mode !== 'bilinear') fail('alignCorners can only be set with mode \'bilinear\'');
  if ((size === undefined) === (scaleFactor === undefined)) fail('give either size or scaleFactor');
  const [n, c, h, w] = shape;
  const pair = (v: number | readonly [number, number]) => (typeof v === 'number' ? [v, v] : [...v]);
  let outH: number;
  let outW: number;
  let scales: number[] | undefined;
  if (size !== undefined) {
    [outH, outW] = pair(size);
    if (![outH, outW].every((s) => Number.isInteger(s) && s > 0)) fail(`size=${JSON.stringify(size)} must be a positive integer or a pair [h, w] of them`);
  } else {
    scales = pair(scaleFactor!);
    if (scales.length !== 2 || !scales.every((s) => typeof s === 'number' && s > 0 && Number.isFinite(s))) fail(`scaleFactor=${JSON.stringify(scaleFactor)} must be a positive number or a pair [h, w] of them`);
    [outH, outW] = [Math.floor(h * scales[0]), Math.floor(w * scales[1])];
    if (outH < 1 || outW < 1 || h === 0 || w === 0) fail(`scaleFactor=${JSON.stringify(scaleFactor)} gives an empty output (${outH}×${outW})`);
  }
  const taps = (input: number, output: number, scale: number | undefined) =>
    (mode === 'nearest' ? nearestTaps(input, output, scale) : bilinearTaps(input, output, scale, alignCorners ?? false));
  return { mode, planes: n * c, h, w, outH, outW, rows: taps(h, outH, scales?.[0]), cols: taps(w, outW, scales?.[1]) };
}

const f32 = Math.fround;

/** PyTorch's compute_scales_value in f32: 1/scaleFactor when given, else input/output. */
function inverseScale(input: number, output: number, scaleFactor: number | undefined): number {
  return scaleFactor !== undefined ? f32(1 / scaleFactor) : f32(input / output);
}

/** Taps of PyTorch's nearest mode: output i reads min(⌊i·scale⌋, input − 1) (i, or i >> 1 when the size doubles). */
function nearestTaps(input: number, output: number, scaleFactor: number | undefined): ResizeTaps {
  const scale = inverseScale(input, output, scaleFactor);
  const index0 = Int32Array.from({ length: output }, (_, i) => {
    if (output === input) return i;
    if (output === 2 * input) return i >> 1;
    return Math.min(Math.floor(f32(i * scale)), input - 1);
  });
  return { index0, index1: index0, weight0: new Float32Array(output).fill(1), weight1: new Float32Array(output) };
}

/** Taps of PyTorch's bilinear mode along one axis: two neighbours and their f32 weights. */
function bilinearTaps(input: number, output: number, scaleFactor: number | undefined, alignCorners: boolean): ResizeTaps {
  const taps = { index0: new Int32Array(output), index1: new Int32Array(output), weight0: new Float32Array(output), weight1: new Float32Array(output) };
  let scale: number;
  if (alignCorners) scale = output > 1 ? f32((input - 1) / (output - 1)) : 0;
  else scale = inverseScale(input, output, scaleFactor);
  for (let i = 0; i < output; i++) {
    const source = alignCorners ? f32(scale * i) : Math.max(f32(f32(scale * f32(i + 0.5)) - 0.5), 0);
    const index = Math.floor(source);
    const lambda = Math.min(Math.max(f32(source - index), 0), 1);
    taps.index0[i] = index;
    taps.index1[i] = index < input - 1 ? index + 1 : index;
    taps.weight0[i] = f32(1 - lambda);
    taps.weight1[i] = lambda;
  }
  return taps;
}

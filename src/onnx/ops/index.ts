import { ACTIVATION_OPS } from './activations.js';
import { CONV_OPS } from './conv.js';
import { LAYOUT_OPS } from './layout.js';
import { MATH_OPS } from './math.js';
import { NORMALIZATION_OPS } from './normalization.js';
import type { OpSpec } from './op.js';
import { POOL_OPS } from './pool.js';
import { REDUCE_OPS } from './reduce.js';
import { RESIZE_OPS } from './resize.js';
import { SHAPE_OPS } from './shape.js';

/** Every ONNX operator the importer supports, by op type. */
export const OPS: Readonly<Record<string, OpSpec>> = {
  ...ACTIVATION_OPS,
  ...CONV_OPS,
  ...MATH_OPS,
  ...NORMALIZATION_OPS,
  ...POOL_OPS,
  ...REDUCE_OPS,
  ...RESIZE_OPS,
  ...SHAPE_OPS,
  ...LAYOUT_OPS,
};

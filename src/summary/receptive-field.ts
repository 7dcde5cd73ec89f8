// Receptive fields: how much of the input one unit of a tensor sees, composed op by op along the
// recorded graph (each op that moves pixels records its SpatialWindow: size grows by
// (taps − 1)·spacing·jump, the jump between neighbouring units by 1/scale) and merged where paths
// join (a residual add, a cat) by taking the larger field.
import type { SpatialWindow } from '../spatial-window.js';

/**
 * The receptive field of one output unit, in input pixels: its `size` [h, w] and the `jump` [h, w]
 * between neighbouring units (below 1 after upsampling). A unit after a linear layer or global
 * pooling sees the whole input (`global`).
 */
export interface ReceptiveField {
  size: [number, number];
  jump: [number, number];
  global: boolean;
}

/** The field of the input itself: one pixel, one pixel apart. */
export const INPUT_FIELD: ReceptiveField = { size: [1, 1], jump: [1, 1], global: false };

/** The field where paths join: the larger size and jump on each axis; global if any path is. */
export function mergeFields(fields: readonly ReceptiveField[]): ReceptiveField {
  const axis = (key: 'size' | 'jump', i: 0 | 1) => Math.max(...fields.map((f) => f[key][i]));
  return { size: [axis('size', 0), axis('size', 1)], jump: [axis('jump', 0), axis('jump', 1)], global: fields.some((f) => f.global) };
}

/** The field after an op with `window`, given the field of its input. */
export function throughWindow(field: ReceptiveField, window: SpatialWindow): ReceptiveField {
  if (field.global || window === 'global') return { ...field, global: true };
  const axis = (i: 0 | 1) => field.size[i] + (window.taps[i] - 1) * window.spacing[i] * field.jump[i];
  return { size: [axis(0), axis(1)], jump: [field.jump[0] / window.scale[0], field.jump[1] / window.scale[1]], global: false };
}

// Receptive fields: how much of the input one unit of a layer's output sees, composed layer by
// layer (size grows by (kernel − 1)·jump, the jump between neighbouring units by the stride) and
// merged where paths join (a residual add, a cat) by taking the larger field.
import { ConvTranspose2d } from '../nn/conv-transpose2d.js';
import { ConvLayer } from '../nn/conv-layer.js';
import { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from '../nn/adaptive-pooling.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Upsample } from '../nn/upsample.js';

/**
 * The receptive field of one output unit, in input pixels: its `size` [h, w] and the `jump` [h, w]
 * between neighbouring units (below 1 after upsampling). A unit after a Linear layer or global
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
  if (fields.length === 0) return INPUT_FIELD;
  const axis = (key: 'size' | 'jump', i: 0 | 1) => Math.max(...fields.map((f) => f[key][i]));
  return { size: [axis('size', 0), axis('size', 1)], jump: [axis('jump', 0), axis('jump', 1)], global: fields.some((f) => f.global) };
}

/**
 * The field after `layer`, given the field of its input and the input's and output's shapes. Layers
 * that do not move pixels (activations, normalisation, dropout, flatten, unknown ones) keep it.
 */
export function layerField(field: ReceptiveField, layer: Module, inShape: readonly number[], outShape: readonly number[]): ReceptiveField {
  if (field.global || layer instanceof Linear) return { ...field, global: true };
  const spatial = (shape: readonly number[], i: 0 | 1) => shape[shape.length - 2 + i];
  // Each axis: the input units one output unit reads (`taps`, `spacing` apart, in input units) and
  // the output units per input unit (`scale`, the inverse of the stride).
  let axes: (i: 0 | 1) => { taps: number; spacing: number; scale: number };
  if (layer instanceof ConvTranspose2d) {
    // Output o reads inputs i with i·stride + tap·dilation = o + padding: about ⌈span / stride⌉ of them.
    axes = (i) => ({ taps: Math.ceil((layer.dilation[i] * (layer.kernelSize[i] - 1) + 1) / layer.stride[i]), spacing: 1, scale: layer.stride[i] });
  } else if (layer instanceof ConvLayer) {
    axes = (i) => ({ taps: layer.kernelSize[i], spacing: layer.dilation[i], scale: 1 / layer.stride[i] });
  } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
    axes = (i) => ({ taps: layer.kernelSize[i], spacing: 1, scale: 1 / layer.stride[i] });
  } else if (layer instanceof AdaptiveAvgPool2d || layer instanceof AdaptiveMaxPool2d) {
    if (spatial(outShape, 0) === 1 && spatial(outShape, 1) === 1) return { ...field, global: true };
    // The widest of PyTorch's windows [⌊o·n/m⌋, ⌈(o + 1)·n/m⌉), moved by n/m on average.
    axes = (i) => {
      const [n, m] = [spatial(inShape, i), spatial(outShape, i)];
      const widest = Math.max(...Array.from({ length: m }, (_, o) => Math.ceil(((o + 1) * n) / m) - Math.floor((o * n) / m)));
      return { taps: widest, spacing: 1, scale: m / n };
    };
  } else if (layer instanceof Upsample) {
    axes = (i) => ({ taps: layer.options.mode === 'bilinear' ? 2 : 1, spacing: 1, scale: spatial(outShape, i) / spatial(inShape, i) });
  } else {
    return field;
  }
  const next = (i: 0 | 1) => {
    const { taps, spacing, scale } = axes(i);
    return { size: field.size[i] + (taps - 1) * spacing * field.jump[i], jump: field.jump[i] / scale };
  };
  const [h, w] = [next(0), next(1)];
  return { size: [h.size, w.size], jump: [h.jump, w.jump], global: false };
}

import type { AugmentOps } from '../augment-ops.js';
import { affineImages, cropImages, flipImages } from '../../../bindings/augment.js';
import { ptr } from './storage.js';

export const wasmAugmentOps: AugmentOps = {
  cropImages: (out, inp, n, c, h, w, outH, outW, offsets) => cropImages(ptr(out), ptr(inp), n, c, h, w, outH, outW, offsets),
  flipImages: (out, inp, n, c, h, w, flips) => flipImages(ptr(out), ptr(inp), n, c, h, w, flips),
  affineImages: (out, inp, n, c, h, w, params, interpolation) => affineImages(ptr(out), ptr(inp), n, c, h, w, params, interpolation === 'bilinear'),
};

import { SimdnnError } from '../../errors.js';
import { integerBelow, randomBits } from '../../random.js';
import type { Tensor } from '../../tensor.js';
import { emptyLike, imageDims, readSize, type Transform } from './transform.js';

/** Options of `RandomCrop`. */
export interface RandomCropOptions {
  /**
   * Zeros added around each image before the crop (default 0): one number for every side,
   * [left/right, top/bottom], or [left, top, right, bottom] (torchvision's order).
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
}

/**
 * torchvision's `RandomCrop(size, padding)`: pads every image with zeros, then cuts a `size` window
 * at a random position, drawn per image (top, then left, each uniform over the positions that fit).
 */
export class RandomCrop implements Transform {
  readonly size: [number, number];
  /** Zeros added on the left, top, right and bottom. */
  readonly padding: [number, number, number, number];

  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    this.size = readSize('RandomCrop', 'size', size);
    this.padding = readPadding(options.padding ?? 0);
  }

  forward(images: Tensor): Tensor {
    const [n, c, h, w] = imageDims('RandomCrop', images);
    const [left, top, right, bottom] = this.padding;
    const [outH, outW] = this.size;
    const [paddedH, paddedW] = [h + top + bottom, w + left + right];
    if (outH > paddedH || outW > paddedW) {
      throw new SimdnnError(`RandomCrop: the crop ${outH}×${outW} is larger than the padded images ${paddedH}×${paddedW} (images ${h}×${w}, padding ${this.padding.join(', ')})`);
    }
    const bits = randomBits(2 * n);
    const offsets = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      offsets[2 * i] = integerBelow(bits[2 * i], paddedH - outH + 1) - top;
      offsets[2 * i + 1] = integerBelow(bits[2 * i + 1], paddedW - outW + 1) - left;
    }
    const out = emptyLike(images, [n, c, outH, outW]);
    images.backend.cropImages(out.storage, images.storage, n, c, h, w, outH, outW, offsets);
    return out;
  }
}

function readPadding(padding: RandomCropOptions['padding']): [number, number, number, number] {
  const sides = typeof padding === 'number' ? [padding, padding, padding, padding]
    : Array.isArray(padding) && padding.length === 2 ? [padding[0], padding[1], padding[0], padding[1]]
      : padding;
  if (!Array.isArray(sides) || sides.length !== 4 || !sides.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new SimdnnError(`RandomCrop: padding must be a non-negative integer, [left/right, top/bottom] or [left, top, right, bottom], got ${JSON.stringify(padding)}`);
  }
  return [sides[0], sides[1], sides[2], sides[3]];
}

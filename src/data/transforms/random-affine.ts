import type { Interpolation } from '../../backend/augment-ops.js';
import { SimdnnError } from '../../errors.js';
import { randomBits, uniformFromBits } from '../../random.js';
import { roundHalfEven } from '../../round.js';
import type { Tensor } from '../../tensor.js';
import { emptyLike, imageDims, type Transform } from './transform.js';

/** Options of `RandomAffine`. */
export interface RandomAffineOptions {
  /** Rotation range in degrees: d for [−d, d], or [min, max]. 0 turns rotation off. */
  degrees: number | readonly [number, number];
  /**
   * Largest shifts as fractions of the width and the height, [a, b] in [0, 1]: each image moves by
   * a whole number of pixels, tx in [−a·W, a·W] and ty in [−b·H, b·H] (default: no shift).
   */
  translate?: readonly [number, number];
  /** How pixels between the input's pixel centres are read: 'nearest' (default, as torchvision) or 'bilinear'. */
  interpolation?: Interpolation;
}

/**
 * torchvision's `RandomAffine(degrees, translate)` on tensors (no scale or shear, fill 0): each image
 * is rotated about its centre by an angle drawn uniformly from the range (clockwise on screen when
 * positive), then shifted by whole pixels (uniform, rounded half to even as Python's `round`), with
 * zeros where the moved image leaves the frame. The choices are drawn from the seeded generator as
 * integers; the rotation's cosine and sine are computed by the backend (in wasm on the wasm backend),
 * so results are the same bits in every engine.
 */
export class RandomAffine implements Transform {
  /** [min, max] angle in degrees. */
  readonly degrees: [number, number];
  /** Largest shifts as fractions of width and height. */
  readonly translate: [number, number];
  readonly interpolation: Interpolation;

  constructor(options: RandomAffineOptions) {
    const { degrees, translate = [0, 0], interpolation = 'nearest' } = options ?? {};
    const range = typeof degrees === 'number' ? [-degrees, degrees] : degrees;
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || range[0] > range[1]) {
      throw new SimdnnError(`RandomAffine: degrees must be a number d ≥ 0 (for [−d, d]) or [min, max] with min ≤ max, got ${JSON.stringify(degrees)}`);
    }
    if (!Array.isArray(translate) || translate.length !== 2 || !translate.every((t) => t >= 0 && t <= 1)) {
      throw new SimdnnError(`RandomAffine: translate must be [a, b], fractions of the width and height in [0, 1], got ${JSON.stringify(translate)}`);
    }
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
      throw new SimdnnError(`RandomAffine: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(interpolation)}`);
    }
    this.degrees = [range[0], range[1]];
    this.translate = [translate[0], translate[1]];
    this.interpolation = interpolation;
  }

  forward(images: Tensor): Tensor {
    const [n, c, h, w] = imageDims('RandomAffine', images);
    const [maxDx, maxDy] = [this.translate[0] * w, this.translate[1] * h];
    const bits = randomBits(3 * n);
    const params = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) {
      params[3 * i] = uniformFromBits(bits[3 * i], this.degrees[0], this.degrees[1]);
      params[3 * i + 1] = roundHalfEven(uniformFromBits(bits[3 * i + 1], -maxDx, maxDx));
      params[3 * i + 2] = roundHalfEven(uniformFromBits(bits[3 * i + 2], -maxDy, maxDy));
    }
    const out = emptyLike(images, images.shape);
    images.backend.affineImages(out.storage, images.storage, n, c, h, w, params, this.interpolation);
    return out;
  }
}

import { SimdnnError } from '../../errors.js';
import { randomBits } from '../../random.js';
import type { Tensor } from '../../tensor.js';
import { emptyLike, imageDims, type Transform } from './transform.js';

/**
 * torchvision's `RandomHorizontalFlip(p)`: mirrors each image left to right with probability `p`
 * (default 0.5), drawn per image (a random u32 below p·2³²).
 */
export class RandomHorizontalFlip implements Transform {
  readonly p: number;

  constructor(p = 0.5) {
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new SimdnnError(`RandomHorizontalFlip: p must be a probability in [0, 1], got ${String(p)}`);
    this.p = p;
  }

  forward(images: Tensor): Tensor {
    const [n, c, h, w] = imageDims('RandomHorizontalFlip', images);
    const threshold = this.p * 4294967296;
    const flips = Int32Array.from(randomBits(n), (bits) => (bits < threshold ? 1 : 0));
    const out = emptyLike(images, images.shape);
    images.backend.flipImages(out.storage, images.storage, n, c, h, w, flips);
    return out;
  }
}

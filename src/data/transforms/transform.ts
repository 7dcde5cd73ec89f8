// What every transform is, their composition, and the checks they share.
import { SimdnnError, formatShape } from '../../errors.js';
import { Tensor } from '../../tensor.js';

/**
 * A transform of a batch of images `[N, C, H, W]` (torchvision's transforms, applied per batch):
 * `forward` returns a new tensor and leaves its input as it is. Random transforms draw their choices,
 * per image, from simdnn's seeded generator (`sn.manualSeed`), so the same seed gives the same
 * augmented batches, bit for bit, in Node and in browsers.
 */
export interface Transform {
  forward(images: Tensor): Tensor;
}

/**
 * Applies transforms one after the other (torchvision's `Compose`). The intermediate batches are
 * released as soon as the next transform has used them.
 */
export class Compose implements Transform {
  readonly transforms: readonly Transform[];

  constructor(transforms: readonly Transform[]) {
    if (!Array.isArray(transforms) || transforms.some((t) => typeof t?.forward !== 'function')) {
      throw new SimdnnError('Compose: expected an array of transforms (objects with a forward(images) method)');
    }
    this.transforms = [...transforms];
  }

  forward(images: Tensor): Tensor {
    let x = images;
    for (const transform of this.transforms) {
      const next = transform.forward(x);
      if (x !== images && next !== x) x.dispose();
      x = next;
    }
    return x;
  }
}

/** The dimensions of a batch of images, checking that `images` is a `[N, C, H, W]` tensor. */
export function imageDims(op: string, images: Tensor): [n: number, c: number, h: number, w: number] {
  if (!(images instanceof Tensor) || images.shape.length !== 4) {
    const got = images instanceof Tensor ? `shape ${formatShape(images.shape)}` : String(images);
    throw new SimdnnError(`${op}: expects a batch of images [N, C, H, W], got ${got}`);
  }
  const [n, c, h, w] = images.shape;
  return [n, c, h, w];
}

/** A new tensor of `shape` on the backend of `like`, to be overwritten whole by a primitive. */
export function emptyLike(like: Tensor, shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(like.backend.empty(size), shape, like.backend);
}

/** Reads a size given as one number (square) or [height, width]; each a positive integer. */
export function readSize(op: string, name: string, size: number | readonly [number, number]): [number, number] {
  const pair = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new SimdnnError(`${op}: ${name} must be a positive integer or [height, width] of positive integers, got ${JSON.stringify(size)}`);
  }
  return [pair[0], pair[1]];
}

import { SimdnnError, formatShape } from '../errors.js';
import { checkShape } from '../shape.js';

/**
 * A stack of images `[N, C, H, W]` kept in host memory as one row-major `Float32Array` (image `i`
 * is `data.subarray(i * C*H*W, (i + 1) * C*H*W)`).
 *
 * Why not a `Tensor`: a whole data set (MNIST's training images are 188 MB of f32) would sit in wasm
 * memory beside the model, and every shuffled batch would have to be read back out of wasm before
 * it is gathered. Kept here, a batch is gathered with plain array copies and enters the backend once,
 * as the `x` tensor of a `DataLoader` batch.
 */
export interface ImageArray {
  /** The pixel values, image after image, each in C, H, W order. */
  readonly data: Float32Array;
  /** `[N, C, H, W]`. */
  readonly shape: readonly [number, number, number, number];
}

/**
 * A labelled image classification data set: `images` `[N, C, H, W]` and one class index per image in
 * `labels` (`Int32Array`, values 0 … classes − 1), `length` = N. Make one with `createDataset`, or get
 * MNIST's from `loadMnist`; batch it with `DataLoader`.
 */
export interface Dataset {
  readonly images: ImageArray;
  readonly labels: Int32Array;
  readonly length: number;
}

/** A `Dataset` from images and their labels, checking that the shape, the values and the labels agree. */
export function createDataset(images: ImageArray, labels: Int32Array): Dataset {
  const dataset = { images, labels, length: images.shape[0] };
  checkDataset(dataset, 'createDataset');
  return dataset;
}

/** Checks that a data set's images are `[N, C, H, W]` with N·C·H·W values and N labels, N = `length`. */
export function checkDataset(dataset: Dataset, op: string): void {
  const { images, labels, length } = dataset;
  if (images.shape.length !== 4) {
    throw new SimdnnError(`${op}: images must have shape [N, C, H, W], got ${formatShape(images.shape)}`);
  }
  const size = checkShape(images.shape, op);
  if (images.data.length !== size) {
    throw new SimdnnError(`${op}: images of shape ${formatShape(images.shape)} hold ${size} values but their data has ${images.data.length}`);
  }
  if (labels.length !== images.shape[0] || length !== images.shape[0]) {
    throw new SimdnnError(`${op}: ${images.shape[0]} images but ${labels.length} labels (length ${length}); every image needs one label`);
  }
}

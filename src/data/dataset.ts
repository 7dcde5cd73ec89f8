import { SimdnnError, formatShape } from '../errors.js';
import { checkShape } from '../shape.js';

/**
 * Samples stacked along a first dimension, kept in host memory as one row-major `Float32Array`:
 * images `[N, C, H, W]` (image `i` is `data.subarray(i * C*H*W, (i + 1) * C*H*W)`), or any `[N, ...]`
 * (feature vectors `[N, F]`, float targets `[N, K]` …) in a `TensorDataset`.
 *
 * Why not a `Tensor`: a whole data set (MNIST's training images are 188 MB of f32) would sit in wasm
 * memory beside the model, and every shuffled batch would have to be read back out of wasm before
 * it is gathered. Kept here, a batch is gathered with plain array copies and enters the backend once,
 * as the `x` tensor of a `DataLoader` batch.
 */
export interface ImageArray {
  /** The values, sample after sample, each row-major (C, H, W order for images). */
  readonly data: Float32Array;
  /** `[N, C, H, W]` for images; `[N, ...]` in general. */
  readonly shape: readonly number[];
}

/**
 * A labelled data set of N samples: `images` `[N, C, H, W]` (or any `[N, ...]` inputs) and one class
 * index per sample in `labels` (`Int32Array`, values 0 … classes − 1), `length` = N. Tasks whose
 * targets are not class indices (probabilities, multi-label 0/1 vectors, regression values) give
 * them as `targets` `[N, ...]` instead, with `labels` empty. Make one with `createDataset` or
 * `new TensorDataset(inputs, targets)`, or get MNIST's from `loadMnist` and an image folder's from
 * `imageFolder`; batch it with `DataLoader`.
 */
export interface Dataset {
  readonly images: ImageArray;
  readonly labels: Int32Array;
  /** Float targets `[N, ...]`, when the targets are not class indices; batches' `targets` then come from here. */
  readonly targets?: ImageArray;
  readonly length: number;
}

/** A `Dataset` from images and their labels, checking that the shape, the values and the labels agree. */
export function createDataset(images: ImageArray, labels: Int32Array): Dataset {
  checkImageShape('createDataset', images);
  const dataset = { images, labels, length: images.shape[0] };
  checkDataset(dataset, 'createDataset');
  return dataset;
}

/**
 * Checks that a data set's `images` are `[N, ...]` with as many values as their shape says, with N
 * labels, or with no labels and N float `targets`; N = `length`.
 */
export function checkDataset(dataset: Dataset, op: string): void {
  const { images, labels, targets, length } = dataset;
  checkSamples(op, 'images', images);
  const n = images.shape[0];
  if (targets === undefined) {
    if (labels.length !== n || length !== n) {
      throw new SimdnnError(`${op}: ${n} images but ${labels.length} labels (length ${length}); every image needs one label`);
    }
    return;
  }
  checkSamples(op, 'targets', targets);
  if (targets.shape[0] !== n || length !== n || labels.length !== 0) {
    throw new SimdnnError(`${op}: ${n} samples but targets of shape ${formatShape(targets.shape)} (length ${length}) and ${labels.length} labels; give one target per sample, and no labels with float targets`);
  }
}

/** Checks that an array of samples has a shape `[N, ...]` and as many values as that shape holds. */
function checkSamples(op: string, name: string, samples: ImageArray): void {
  if (samples.shape.length === 0) throw new SimdnnError(`${op}: ${name} must have shape [N, ...], got ${formatShape(samples.shape)}`);
  const size = checkShape(samples.shape, op);
  if (samples.data.length !== size) {
    throw new SimdnnError(`${op}: ${name} of shape ${formatShape(samples.shape)} hold ${size} values but their data has ${samples.data.length}`);
  }
}

/** Checks that `images` are a stack of images `[N, C, H, W]`, for operations that work per channel. */
export function checkImageShape(op: string, images: ImageArray): void {
  if (images.shape.length !== 4) throw new SimdnnError(`${op}: images must have shape [N, C, H, W], got ${formatShape(images.shape)}`);
}

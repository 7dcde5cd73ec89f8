import { SimdnnError, formatShape } from '../errors.js';
import { checkShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkDataset, type Dataset, type ImageArray } from './dataset.js';

/** Samples `[N, ...]` given as a tensor or as values and a shape. */
export type SampleSource = Tensor | { data: ArrayLike<number>; shape: readonly number[] };

/**
 * PyTorch's `TensorDataset(inputs, targets)`: a data set from arrays, N samples each. `inputs` is
 * `[N, ...]` (images `[N, C, H, W]`, feature vectors `[N, F]` …). `targets` is either class indices
 * (an `Int32Array` or an array of integers, kept as `labels`, for `F.crossEntropy` and accuracy) or
 * float targets `[N, ...]` as a tensor or values and a shape (kept as `targets`: probabilities,
 * multi-label 0/1 vectors, regression values, for BCE, MSE …). The values are copied into host memory
 * (see `ImageArray`), so later changes to the arguments do not reach the data set.
 */
export class TensorDataset implements Dataset {
  readonly images: ImageArray;
  readonly labels: Int32Array;
  readonly targets?: ImageArray;
  readonly length: number;

  constructor(inputs: SampleSource, targets: Int32Array | readonly number[] | SampleSource) {
    this.images = hostCopy('inputs', inputs);
    this.length = this.images.shape[0];
    if (targets instanceof Int32Array || Array.isArray(targets)) {
      const values = Array.from(targets as ArrayLike<number>);
      const bad = values.find((v) => !Number.isInteger(v) || v < 0);
      if (bad !== undefined) throw new SimdnnError(`TensorDataset: class indices must be non-negative integers, got ${bad}`);
      this.labels = Int32Array.from(values);
    } else {
      this.targets = hostCopy('targets', targets as SampleSource);
      this.labels = new Int32Array(0);
    }
    checkDataset(this, 'TensorDataset');
  }
}

/** The values of `source` copied into a host `Float32Array`, with its shape. */
function hostCopy(name: string, source: SampleSource): ImageArray {
  if (source instanceof Tensor) return { data: source.toFloat32Array(), shape: [...source.shape] };
  if (typeof source !== 'object' || source === null || !Array.isArray(source.shape) || source.data?.length === undefined) {
    throw new SimdnnError(`TensorDataset: ${name} must be a Tensor or { data, shape }, got ${String(source)}`);
  }
  if (source.shape.length === 0) throw new SimdnnError(`TensorDataset: ${name} must have shape [N, ...], got ${formatShape(source.shape)}`);
  const size = checkShape(source.shape, 'TensorDataset');
  if (source.data.length !== size) {
    throw new SimdnnError(`TensorDataset: ${name} of shape ${formatShape(source.shape)} hold ${size} values but their data has ${source.data.length}`);
  }
  return { data: Float32Array.from(source.data), shape: [...source.shape] };
}

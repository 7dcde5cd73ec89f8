import { tensor } from '../creation.js';
import { shuffleInPlace } from '../random.js';
import { currentBackend } from '../backend/index.js';
import { Tensor } from '../tensor.js';
import { checkDataset, type Dataset, type ImageArray } from './dataset.js';
import type { Transform } from './transforms/transform.js';
import { checkInteger } from './errors.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch, a positive integer. */
  batchSize: number;
  /** Visit the samples in a new random order on every pass (default false: in order). */
  shuffle?: boolean;
  /** Leave out the last batch when it has fewer than `batchSize` samples (default false: keep it). */
  dropLast?: boolean;
  /**
   * Applied to every batch's images `x` as it is made (e.g. `sn.data.transforms.Compose([...])` of
   * random crops and flips for training); the untransformed batch is released at once.
   */
  transform?: Transform;
}

/** One batch of B samples. */
export interface Batch {
  /** The images, `[B, C, H, W]` (or the inputs `[B, ...]`), on the backend current when the batch was made. */
  x: Tensor;
  /** The class indices, for code that wants integers (empty when the data set has float `targets`). */
  y: Int32Array;
  /**
   * What the loss compares the output with: the class indices as a `[B]` tensor of f32 values (the
   * form `F.crossEntropy(logits, targets)` takes), or the data set's float targets `[B, ...]`.
   */
  targets: Tensor;
  /** Which samples of the data set the batch holds, in batch order. */
  indices: Int32Array;
}

/**
 * Batches of a data set, as PyTorch's `DataLoader`: `for (const { x, targets } of loader)` is one
 * pass (epoch). Every pass visits each sample exactly once; the last batch is smaller when
 * `batchSize` does not divide the data set, unless `dropLast`. With `shuffle`, each pass draws a new
 * order from simdnn's seeded generator when it starts, so `manualSeed(s)` before the same sequence
 * of calls gives the same batches.
 */
export class DataLoader implements Iterable<Batch> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly transform: Transform | undefined;

  constructor(dataset: Dataset, options: DataLoaderOptions) {
    checkDataset(dataset, 'DataLoader');
    checkInteger('DataLoader', 'batchSize', options.batchSize, 1);
    this.dataset = dataset;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.transform = options.transform;
  }

  /** The number of batches in one pass. */
  get length(): number {
    const round = this.dropLast ? Math.floor : Math.ceil;
    return round(this.dataset.length / this.batchSize);
  }

  /** Starts a pass: the order is drawn now (when shuffling), the batches are made as they are taken. */
  [Symbol.iterator](): Iterator<Batch> {
    const order = Int32Array.from({ length: this.dataset.length }, (_, i) => i);
    if (this.shuffle) shuffleInPlace(order);
    return this.batches(order);
  }

  private *batches(order: Int32Array): Generator<Batch> {
    for (let b = 0; b < this.length; b++) {
      yield this.batch(order.subarray(b * this.batchSize, (b + 1) * this.batchSize));
    }
  }

  private batch(indices: Int32Array): Batch {
    const { images, labels, targets } = this.dataset;
    const y = labels.length === 0 ? new Int32Array(0) : Int32Array.from(indices, (sample) => labels[sample]);
    let x = gather(images, indices);
    if (this.transform) {
      const transformed = this.transform.forward(x);
      if (transformed !== x) x.dispose();
      x = transformed;
    }
    return { x, y, targets: targets ? gather(targets, indices) : tensor(y, [indices.length]), indices: indices.slice() };
  }
}

/**
 * The samples at `indices` of `samples` `[N, ...]`, in that order, as a `[B, ...]` tensor: copied
 * straight into backend memory, each run of consecutive indices in one copy.
 */
function gather(samples: ImageArray, indices: Int32Array): Tensor {
  const [, ...rest] = samples.shape;
  const per = rest.reduce((a, b) => a * b, 1);
  const backend = currentBackend();
  const storage = backend.empty(indices.length * per);
  for (let i = 0; i < indices.length;) {
    let end = i + 1;
    while (end < indices.length && indices[end] === indices[end - 1] + 1) end++;
    backend.write(storage, samples.data.subarray(indices[i] * per, (indices[end - 1] + 1) * per), i * per);
    i = end;
  }
  return new Tensor(storage, [indices.length, ...rest], backend);
}

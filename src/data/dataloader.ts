import { tensor } from '../creation.js';
import { integerBelow, randomBits } from '../random.js';
import type { Tensor } from '../tensor.js';
import { checkDataset, type Dataset } from './dataset.js';
import { checkInteger } from './errors.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch, a positive integer. */
  batchSize: number;
  /** Visit the samples in a new random order on every pass (default false: in order). */
  shuffle?: boolean;
  /** Leave out the last batch when it has fewer than `batchSize` samples (default false: keep it). */
  dropLast?: boolean;
}

/** One batch of B samples. */
export interface Batch {
  /** The images, `[B, C, H, W]`, on the backend current when the batch was made. */
  x: Tensor;
  /** The class indices, for code that wants integers. */
  y: Int32Array;
  /** The same class indices as a `[B]` tensor of f32 values, the form `F.crossEntropy(logits, targets)` takes. */
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

  constructor(dataset: Dataset, options: DataLoaderOptions) {
    checkDataset(dataset, 'DataLoader');
    checkInteger('DataLoader', 'batchSize', options.batchSize, 1);
    this.dataset = dataset;
    this.batchSize = options.batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
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
    const { images, labels } = this.dataset;
    const [, c, h, w] = images.shape;
    const per = c * h * w;
    const x = new Float32Array(indices.length * per);
    const y = new Int32Array(indices.length);
    indices.forEach((sample, i) => {
      x.set(images.data.subarray(sample * per, (sample + 1) * per), i * per);
      y[i] = labels[sample];
    });
    return { x: tensor(x, [indices.length, c, h, w]), y, targets: tensor(y, [indices.length]), indices: indices.slice() };
  }
}

/**
 * Puts `order` in a random order: Fisher–Yates, each swap scaling one u32 of the seeded generator to
 * [0, i] by multiply-shift, so no order's probability is off by more than n / 2^32 (relative).
 */
function shuffleInPlace(order: Int32Array): void {
  const bits = randomBits(Math.max(order.length - 1, 0));
  for (let i = order.length - 1; i > 0; i--) {
    const j = integerBelow(bits[i - 1], i + 1);
    const kept = order[i];
    order[i] = order[j];
    order[j] = kept;
  }
}

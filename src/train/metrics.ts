// Metrics that fit and evaluate report beside the loss: Keras's accuracy family, computed on the
// host from each batch's outputs and targets, averaged over samples.
import { SimdnnError, formatShape } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** A batch's model output and targets as host values with their shapes. */
export interface MetricBatch {
  output: Float32Array;
  outputShape: readonly number[];
  targets: Float32Array;
  targetShape: readonly number[];
}

/**
 * A metric: `batchSum` returns the sum over the batch's samples of a per-sample score, so an epoch's
 * value is the mean over its samples. Its `name` keys the logs and the history (`'top5Accuracy'`;
 * validation values under `'valTop5Accuracy'`), so callbacks can monitor it.
 */
export interface Metric {
  readonly name: string;
  batchSum(batch: MetricBatch): number;
}

/** What `metrics` options accept: a metric, or the name of a built-in one ('accuracy', 'binaryAccuracy', 'top5Accuracy' for any k). */
export type MetricSpec = Metric | 'accuracy' | 'binaryAccuracy' | `top${number}Accuracy`;

/** Rows of `shape` [B, ...]: B and the values per row. */
function rows(shape: readonly number[]): [number, number] {
  return [shape[0] ?? 1, shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** The index of the largest of `values[start, start + n)` (the first of equal maxima, as `argmax`). */
function argmaxOf(values: Float32Array, start: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}

/** Each sample's class: its target value when targets are class indices [B], else its targets' argmax (one-hot or probabilities). */
function targetClass(batch: MetricBatch, i: number, classes: number): number {
  return batch.targetShape.length === 1 ? batch.targets[i] : argmaxOf(batch.targets, i * classes, classes);
}

/**
 * Keras's `'accuracy'`, chosen by shape: outputs `[B, K]` (K > 1) count a sample right when the
 * largest score is at its class (targets `[B]` of class indices, or one-hot/probabilities `[B, K]`);
 * one output per sample (`[B]` or `[B, 1]`) is binary accuracy at threshold 0.5 (for probabilities;
 * use `binaryAccuracy({ threshold: 0 })` for logits).
 */
export const accuracy: Metric = {
  name: 'accuracy',
  batchSum(batch) {
    const [b, classes] = rows(batch.outputShape);
    if (classes === 1) return binaryAccuracy().batchSum(batch);
    let correct = 0;
    for (let i = 0; i < b; i++) if (argmaxOf(batch.output, i * classes, classes) === targetClass(batch, i, classes)) correct++;
    return correct;
  },
};

/**
 * Top-k accuracy (Keras's `SparseTopKCategoricalAccuracy`): a sample counts when fewer than k classes
 * score strictly higher than its class (so ties at the boundary count as inside). Outputs `[B, K]`,
 * targets class indices `[B]` or one-hot/probabilities `[B, K]`. Named `top<k>Accuracy`.
 */
export function topKAccuracy(k = 5): Metric {
  if (!Number.isInteger(k) || k < 1) throw new SimdnnError(`topKAccuracy: k must be a positive integer, got ${k}`);
  return {
    name: `top${k}Accuracy`,
    batchSum(batch) {
      const [b, classes] = rows(batch.outputShape);
      let correct = 0;
      for (let i = 0; i < b; i++) {
        const score = batch.output[i * classes + targetClass(batch, i, classes)];
        let higher = 0;
        for (let c = 0; c < classes; c++) if (batch.output[i * classes + c] > score) higher++;
        if (higher < k) correct++;
      }
      return correct;
    },
  };
}

/** Options of `binaryAccuracy`. */
export interface BinaryAccuracyOptions {
  /** An output above it predicts 1 (default 0.5, for probabilities; 0 for logits). */
  threshold?: number;
}

/**
 * Keras's `BinaryAccuracy`: each output predicts 1 when above `threshold`, and is right when its
 * target (0 or 1, compared at 0.5) agrees; a sample's score is the fraction of its outputs that are
 * right (multi-label tasks have several per sample). Outputs and targets of the same size per sample.
 */
export function binaryAccuracy({ threshold = 0.5 }: BinaryAccuracyOptions = {}): Metric {
  return {
    name: 'binaryAccuracy',
    batchSum(batch) {
      const [b, per] = rows(batch.outputShape);
      let sum = 0;
      for (let i = 0; i < b; i++) {
        let right = 0;
        for (let j = i * per; j < (i + 1) * per; j++) if ((batch.output[j] > threshold) === (batch.targets[j] > 0.5)) right++;
        sum += right / per;
      }
      return sum;
    },
  };
}

/** The metrics named or given in `specs`, checked; the message lists the names it knows. */
export function resolveMetrics(op: string, specs: readonly MetricSpec[]): Metric[] {
  if (!Array.isArray(specs)) throw new SimdnnError(`${op}: metrics must be an array, got ${String(specs)}`);
  const metrics = specs.map((spec) => {
    if (typeof spec === 'object' && spec !== null && typeof spec.batchSum === 'function' && typeof spec.name === 'string') return spec;
    if (spec === 'accuracy') return accuracy;
    if (spec === 'binaryAccuracy') return binaryAccuracy();
    const topK = typeof spec === 'string' ? /^top(\d+)Accuracy$/.exec(spec) : null;
    if (topK) return topKAccuracy(Number(topK[1]));
    throw new SimdnnError(`${op}: unknown metric ${JSON.stringify(spec)}; use 'accuracy', 'binaryAccuracy', 'top<k>Accuracy' (e.g. 'top5Accuracy') or an object with name and batchSum`);
  });
  const names = metrics.map((m) => m.name);
  const repeated = names.find((name, i) => names.indexOf(name) !== i || name === 'loss');
  if (repeated !== undefined) throw new SimdnnError(`${op}: two metrics are named '${repeated}' (or one is named like the loss)`);
  return metrics;
}

/** Running sums of several metrics over the samples seen so far. */
export class MetricTotals {
  readonly sums: number[];
  samples = 0;

  constructor(readonly metrics: readonly Metric[]) {
    this.sums = metrics.map(() => 0);
  }

  /** Adds a batch (read to the host once for all metrics). */
  add(output: Tensor, targets: Tensor): void {
    const batchSize = output.shape[0] ?? 1;
    this.samples += batchSize;
    if (this.metrics.length === 0) return;
    const batch = { output: output.toFloat32Array(), outputShape: output.shape, targets: targets.toFloat32Array(), targetShape: targets.shape };
    if (batch.outputShape[0] !== batch.targetShape[0]) {
      throw new SimdnnError(`metrics: the output ${formatShape(output.shape)} and the targets ${formatShape(targets.shape)} have different batch sizes`);
    }
    this.metrics.forEach((metric, i) => { this.sums[i] += metric.batchSum(batch); });
  }

  /** Each metric's mean per sample, by name (NaN before any sample). */
  means(): Record<string, number> {
    return Object.fromEntries(this.metrics.map((metric, i) => [metric.name, this.sums[i] / this.samples]));
  }
}

/** The name of a metric's validation value: 'accuracy' → 'valAccuracy', 'loss' → 'valLoss'. */
export function validationName(name: string): string {
  return `val${name[0].toUpperCase()}${name.slice(1)}`;
}

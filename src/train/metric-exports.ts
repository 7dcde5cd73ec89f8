// sn.metrics: the metrics fit and evaluate report beside the loss, for the `metrics` option.
export { accuracy, topKAccuracy, binaryAccuracy, type Metric, type MetricBatch, type MetricSpec, type BinaryAccuracyOptions } from './metrics.js';

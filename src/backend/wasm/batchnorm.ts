import type { BatchNormOps } from '../batchnorm-ops.js';
import type { Storage } from '../backend.js';
import { batchNormBackward, batchNormFold, batchNormForward, batchNormStats } from '../../../bindings/batchnorm.js';
import { ptr } from './storage.js';

/** Byte address of an optional storage (0 when absent). */
const optional = (storage: Storage | undefined): number => (storage ? ptr(storage) : 0);

export const wasmBatchNormOps: BatchNormOps = {
  batchNormStats: (a) => batchNormStats({
    ...a, x: ptr(a.x), mean: ptr(a.mean), variance: ptr(a.variance), runningMean: ptr(a.runningMean), runningVar: ptr(a.runningVar),
  }),
  batchNormForward: (a) => batchNormForward({
    ...a, y: ptr(a.y), x: ptr(a.x), mean: ptr(a.mean), variance: ptr(a.variance), weight: optional(a.weight), bias: optional(a.bias),
  }),
  batchNormBackward: (a) => batchNormBackward({
    ...a, gradY: ptr(a.gradY), x: ptr(a.x), mean: ptr(a.mean), variance: ptr(a.variance), weight: optional(a.weight),
    gradX: optional(a.gradX), gradWeight: optional(a.gradWeight), gradBias: optional(a.gradBias),
  }),
  batchNormFold: (a) => batchNormFold({
    k: a.k, p: a.p, eps: a.eps, foldedWeight: ptr(a.foldedConvWeight), foldedBias: ptr(a.foldedConvBias),
    weight: ptr(a.convWeight), bias: optional(a.convBias), gamma: ptr(a.weight), beta: ptr(a.bias), mean: ptr(a.mean), variance: ptr(a.variance),
  }),
};

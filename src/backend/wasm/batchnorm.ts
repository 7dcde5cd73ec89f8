import type { BatchNormOps } from '../batchnorm-ops.js';
import type { Storage } from '../backend.js';
import { batchNormBackward, batchNormForward, batchNormStats } from '../../../bindings/batchnorm.js';
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
};

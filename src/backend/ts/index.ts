import type { Backend } from '../backend.js';
import { tsBlas1Ops } from './blas1.js';
import { tsElementwiseOps } from './elementwise.js';
import { tsReduceOps } from './reduce.js';
import { tsSoftmaxOps } from './softmax.js';
import { tsConvOps } from './conv2d.js';
import { tsOptimOps } from './optim.js';
import { tsPoolOps } from './pool2d.js';
import { tsLossOps } from './loss.js';
import { tsDropoutOps } from './dropout.js';
import { tsBatchNormOps } from './batchnorm.js';
import { tsAugmentOps } from './augment.js';
import { tsStridedOps } from './strided.js';
import { tsAdaptivePoolOps } from './adaptive-pool2d.js';
import { tsResizeOps } from './resize2d.js';
import { gemm } from './gemm.js';
import { tsStorageOps } from './storage.js';

/** The pure-TypeScript backend: the benchmark baseline and the correctness oracle. */
export const tsBackend: Backend = {
  ...tsStorageOps,
  gemm,
  ...tsBlas1Ops,
  ...tsElementwiseOps,
  ...tsReduceOps,
  ...tsSoftmaxOps,
  ...tsConvOps,
  ...tsOptimOps,
  ...tsPoolOps,
  ...tsLossOps,
  ...tsDropoutOps,
  ...tsBatchNormOps,
  ...tsAugmentOps,
  ...tsStridedOps,
  ...tsAdaptivePoolOps,
  ...tsResizeOps,
};

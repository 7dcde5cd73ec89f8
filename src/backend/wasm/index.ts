import type { Backend } from '../backend.js';
import { wasmBlas1Ops } from './blas1.js';
import { wasmElementwiseOps } from './elementwise.js';
import { wasmReduceOps } from './reduce.js';
import { wasmSoftmaxOps } from './softmax.js';
import { wasmConvOps } from './conv2d.js';
import { wasmOptimOps } from './optim.js';
import { wasmPoolOps } from './pool2d.js';
import { wasmLossOps } from './loss.js';
import { wasmDropoutOps } from './dropout.js';
import { wasmBatchNormOps } from './batchnorm.js';
import { wasmAugmentOps } from './augment.js';
import { wasmStridedOps } from './strided.js';
import { wasmAdaptivePoolOps } from './adaptive-pool2d.js';
import { wasmResizeOps } from './resize2d.js';
import { wasmGemmOps } from './gemm.js';
import { wasmStorageOps } from './storage.js';

/** The WebAssembly SIMD backend (the default). */
export const wasmBackend: Backend = {
  ...wasmStorageOps,
  ...wasmGemmOps,
  ...wasmBlas1Ops,
  ...wasmElementwiseOps,
  ...wasmReduceOps,
  ...wasmSoftmaxOps,
  ...wasmConvOps,
  ...wasmOptimOps,
  ...wasmPoolOps,
  ...wasmLossOps,
  ...wasmDropoutOps,
  ...wasmBatchNormOps,
  ...wasmAugmentOps,
  ...wasmStridedOps,
  ...wasmAdaptivePoolOps,
  ...wasmResizeOps,
};

// simdnn's public entry point: `import * as sn from 'simdnn'`.
export { Tensor, type NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, randn, rand, arange } from './creation.js';
export { matmul } from './ops/matmul.js';
export { add, sub, mul, div, type Operand } from './ops/arithmetic.js';
export { neg, exp, log, sqrt, pow } from './ops/unary.js';
export { sum, mean, max, argmax } from './ops/reduce.js';
export { reshape, flatten } from './ops/shape-ops.js';
export { permute, transpose, narrow, slice } from './ops/layout.js';
export { cat } from './ops/cat.js';
export { topK, type TopK } from './ops/topk.js';
export { manualSeed } from './random.js';
export {
  setBackend, getBackend, ready, setNumThreads, getNumThreads, useDeterministicAlgorithms, areDeterministicAlgorithmsEnabled, kernelInfo,
  type BackendName, type KernelInfo,
} from './backend/index.js';
export { SimdnnError } from './errors.js';
export { noGrad } from './autograd.js';
export * as F from './functional/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as nn from './nn/index.js';
export * as vision from './vision/index.js';
export * as models from './models/index.js';
export { fit, fitAsync, evaluate, type FitOptions, type History, type EpochLog, type BatchLog, type Evaluation, type EvaluateOptions, type LossFunction } from './train/index.js';
export * as callbacks from './train/callbacks/index.js';
export * as metrics from './train/metric-exports.js';
export { summary, type Summary, type SummaryRow, type ReceptiveField } from './summary.js';

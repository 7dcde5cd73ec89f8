// simdnn's public entry point: `import * as sn from 'simdnn'`.
export { Tensor, type NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, randn, rand, arange } from './creation.js';
export { matmul } from './ops/matmul.js';
export { add, sub, mul, div, type Operand } from './ops/arithmetic.js';
export { neg, exp, log, sqrt, pow } from './ops/unary.js';
export { sum, mean, max, argmax } from './ops/reduce.js';
export { reshape, flatten } from './ops/shape-ops.js';
export { manualSeed } from './random.js';
export { setBackend, getBackend, ready, type BackendName } from './backend/index.js';
export { SimdnnError } from './errors.js';
export { noGrad } from './autograd.js';
export * as F from './functional/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export * as io from './io/index.js';

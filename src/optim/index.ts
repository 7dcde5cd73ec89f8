// sn.optim: optimisers with PyTorch 1.13's update rules, each update one fused kernel per parameter.
export { Optimizer } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export * as lrScheduler from './lr-scheduler/index.js';

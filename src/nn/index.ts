// `sn.nn`: layers and models in PyTorch's vocabulary.
export { Module, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from './module.js';
export { Sequential } from './sequential.js';
export { Linear } from './linear.js';
export { Conv2d, type Conv2dOptions } from './conv2d.js';
export { ConvTranspose2d, type ConvTranspose2dOptions } from './conv-transpose2d.js';
export { MaxPool2d, AvgPool2d, type Pool2dOptions } from './pooling.js';
export { AdaptiveAvgPool2d, AdaptiveMaxPool2d } from './adaptive-pooling.js';
export { Upsample } from './upsample.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, ReLU6, SiLU, GELU, Hardswish, Hardsigmoid } from './activations.js';
export { Identity } from './identity.js';
export { Dropout } from './dropout.js';
export { Flatten } from './flatten.js';
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions, type BatchNorm2dOptions } from './batchnorm.js';
export * as init from './init.js';
export * as utils from './utils.js';

// `sn.F`: differentiable functional ops on tensors (PyTorch's torch.nn.functional).
export { relu, leakyRelu, sigmoid, tanh, relu6, silu, gelu, hardswish, hardsigmoid, type GeluOptions } from './activations.js';
export { softmax, logSoftmax } from './softmax.js';
export { linear } from './linear.js';
export { conv2d, conv2dGeometry, type Conv2dFunctionalOptions } from './conv2d.js';
export { convTranspose2d, convTranspose2dGeometry, type ConvTranspose2dFunctionalOptions } from './conv-transpose2d.js';
export {
  crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, l1Loss, smoothL1Loss, huberLoss, mseLoss, multiMarginLoss,
  type ClassTargets, type Reduction, type Weights, type CrossEntropyOptions, type NllLossOptions, type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions, type RegressionLossOptions, type SmoothL1LossOptions, type HuberLossOptions, type MultiMarginLossOptions,
} from './losses.js';
export { dropout } from './dropout.js';
export { batchNorm, batchNorm2d, type BatchNormFunctionalOptions, type BatchNorm2dFunctionalOptions } from './batchnorm.js';
export { maxPool2d, avgPool2d, pool2dGeometry, type Pool2dFunctionalOptions } from './pool2d.js';
export { adaptiveAvgPool2d, adaptiveMaxPool2d, type AdaptiveSize } from './adaptive-pool2d.js';
export { interpolate, type InterpolateOptions } from './interpolate.js';
export { pad } from './pad.js';

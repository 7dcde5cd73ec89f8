// `sn.F`: differentiable functional ops on tensors (PyTorch's torch.nn.functional).
export {};
export { relu, leakyRelu, sigmoid, tanh } from './activations.js';
export { softmax, logSoftmax } from './softmax.js';
export { linear } from './linear.js';

import type { ConvOps } from '../conv-ops.js';
import { conv2dBackwardInput, conv2dBackwardWeight, conv2dForward } from '../../../bindings/conv2d.js';
import { ptr } from './storage.js';

/** The wasm backend's convolution primitives: the SIMD kernels of assembly/conv2d.ts over the whole batch. */
export const wasmConvOps: ConvOps = {
  conv2dForward: (out, input, weight, bias, g, relu) => conv2dForward(ptr(out), ptr(input), ptr(weight), bias ? ptr(bias) : 0, g, relu),
  conv2dBackwardInput: (dInput, dOut, weight, g) => conv2dBackwardInput(ptr(dInput), ptr(dOut), ptr(weight), g),
  conv2dBackwardWeight: (dWeight, dBias, dOut, input, g) => conv2dBackwardWeight(ptr(dWeight), dBias ? ptr(dBias) : 0, ptr(dOut), ptr(input), g),
};

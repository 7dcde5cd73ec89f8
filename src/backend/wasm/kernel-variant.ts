// The wasm backend's kernel variants: relaxed-SIMD (fused multiply-add) or portable SIMD128.
export { deterministicKernels, kernelVariant, setDeterministicKernels, type KernelVariant } from '../../../bindings/kernel-variant.js';

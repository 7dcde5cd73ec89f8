// The wasm module's exports: kernels over pointers into linear memory, and the allocator.
export { gemm, gemmWorkspaceBytes, GEMM_TRANS_A, GEMM_TRANS_B, GEMM_ACCUMULATE, GEMM_BIAS_ROW, GEMM_BIAS_COL, GEMM_RELU } from './gemm';
export { simdPeak, SIMD_PEAK_FLOPS_PER_ITERATION } from './peak';
export { fillNormalFromBits } from './random';
export { axpy } from './axpy';
export { f32PowerSum, f32Pow, f32Scale, f32Clamp } from './norm';
export { f32MaxPool2dForward, f32MaxPool2dBackward, f32AvgPool2dForward, f32AvgPool2dBackward, pool2dWorkspaceBytes } from './pool2d';
export { binaryRow, binaryStrided, unaryForward, unaryBackward, BINARY_MAX_RANK } from './elementwise';
export { sumDim, sumChunks, expandDim, maxDim, maxDimBackward, maxAllBackward } from './reduce';
export { softmaxForward, softmaxBackward } from './softmax';
export { conv2dForward, conv2dBackwardInput, conv2dBackwardWeight, conv2dWorkspaceBytes } from './conv2d';
export { sgdStep, adamStep } from './optim';
export { f32CrossEntropyForward, f32CrossEntropyBackward, f32MultiMarginForward, f32MultiMarginBackward, f32MseForward, f32MseBackward, f32ExpWasmsimd } from './loss';
export {
  f32CrossEntropyClassForward, f32CrossEntropyClassBackward, f32CrossEntropyProbForward, f32CrossEntropyProbBackward,
  f32BceWithLogitsForward, f32BceWithLogitsBackward, f32BceForward, f32BceBackward, f32PointwiseLossForward, f32PointwiseLossBackward,
} from './loss-options';
export { u32F32DropoutMask, f32DropoutApply } from './dropout';
export { f32CropImages, f32FlipImages, f32AffineImages, AFFINE_NEAREST, AFFINE_BILINEAR } from './augment';
export { f32BatchNormStats, f32BatchNormForward, f32BatchNormBackward, f32BatchNormFold } from './batchnorm';
export { copyStrided, STRIDED_MAX_RANK } from './strided';
export { f32AdaptiveAvgPool2dForward, f32AdaptiveAvgPool2dBackward, f32AdaptiveMaxPool2dForward, f32AdaptiveMaxPool2dBackward } from './adaptive-pool2d';
export { f32Resize2dForward, f32Resize2dBackward, RESIZE_NEAREST, RESIZE_BILINEAR } from './resize2d';

/** Allocates `size` bytes (16-byte aligned); traps when linear memory cannot grow (the bindings turn that into an error). */
export function alloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Sets floats [start, end) of the array at `ptr` to +0 (a memset; a range, so threads can share it). */
export function zeroFloats(ptr: usize, start: i32, end: i32): void {
  memory.fill(ptr + (<usize>start << 2), 0, <usize>(end - start) << 2);
}

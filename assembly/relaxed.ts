// The relaxed-SIMD module's exports (asconfig.relaxed.json): the hot kernels only, compiled from the
// same sources with `madd` as f32x4.relaxed_madd. The module imports the memory of the main module
// (assembly/index.ts) and is instantiated next to it on every thread; it never allocates and has no
// static data (scripts/embed-wasm.mjs refuses a data segment, which would overwrite the main module's),
// so its exports can stand in for the main module's functions of the same name.
export { gemm } from './gemm';
export { conv2dForward, conv2dBackwardInput, conv2dBackwardWeight } from './conv2d';
export { simdPeak } from './peak';
export { maddFuses } from './madd';

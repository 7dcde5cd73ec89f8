// `simdnn/onnx`: ONNX import and export, a separate entry point outside the core bundle.
export { loadOnnx } from './load.js';
export { OnnxModule } from './module.js';
export { OnnxError } from './errors.js';
export { toOnnx, type ToOnnxOptions } from './export/to-onnx.js';

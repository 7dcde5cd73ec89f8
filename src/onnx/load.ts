import { decodeModel } from './decode.js';
import { OnnxModule } from './module.js';
import { buildPlan } from './plan.js';

/**
 * Loads an ONNX model (the bytes of a `.onnx` file, e.g. from `torch.onnx.export`) as a trainable
 * module on the current backend. `forward(...inputs)` takes the graph's inputs in order (batch and
 * other dimensions may be symbolic); the graph's float initializers become parameters named by their
 * ONNX names. Opsets 11 to 18 of the default domain. Throws an `OnnxError` naming the node, op type
 * and what is unsupported, or what is wrong with a truncated or corrupt file.
 */
export function loadOnnx(bytes: Uint8Array): OnnxModule {
  const graph = decodeModel(bytes);
  return new OnnxModule(buildPlan(graph), graph.source);
}

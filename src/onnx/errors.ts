import { SimdnnError } from '../index.js';

/**
 * The error `loadOnnx` and `toOnnx` throw for a file they cannot read (truncated, corrupt, not ONNX)
 * and for what they do not support (an operator, attribute, data type or layer). The message names
 * the node (its name and op type) or the tensor concerned.
 */
export class OnnxError extends SimdnnError {
  override name = 'OnnxError';
}

/** A node as error messages name it: `Conv node "/conv1/Conv"` (or its index when it has no name). */
export function describeNode(node: { opType: string; name: string; index: number }): string {
  return `${node.opType} node ${node.name ? JSON.stringify(node.name) : `#${node.index}`}`;
}

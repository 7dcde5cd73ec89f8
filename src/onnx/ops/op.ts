import type { Tensor } from '../../index.js';
import type { Attributes } from '../attributes.js';
import type { OnnxNode } from '../decode.js';
import type { DimRef, HostTensor } from '../host-tensor.js';

/** What an operator sees of its node when the graph is loaded. */
export interface LoadContext {
  readonly node: OnnxNode;
  /** The opset of the default domain the model was written for (11 … 18). */
  readonly opset: number;
  readonly attrs: Attributes;
  /** Whether input `i` is given (ONNX leaves optional inputs out or names them ""). */
  has(i: number): boolean;
  /** The rank of input `i`, when known at load time. */
  rank(i: number): number | undefined;
  /** Input `i`'s value when it is known at load time (a constant, or an initializer at a static input), else undefined. */
  constant(i: number): HostTensor | undefined;
  /** Input `i`'s value, which must be known at load time; `what` names the input in the error. */
  requireConstant(i: number, what: string): HostTensor;
  /** Throws an OnnxError naming the node. */
  fail(message: string): never;
}

/** What a kernel sees when the graph runs. */
export interface RunContext {
  /** The module's mode: dropout and batch statistics in training, not in eval. */
  readonly training: boolean;
  /** The size of a dimension that only the running graph knows (see DimRef). */
  dim(ref: DimRef): number;
}

/**
 * A node compiled for run time: its run-time inputs in order (static inputs are not passed, absent
 * optional ones are undefined) → its outputs in order.
 */
export type Kernel = (inputs: readonly (Tensor | undefined)[], run: RunContext) => Tensor[];

/** How the importer handles one ONNX operator. */
export interface OpSpec {
  /** How many inputs a node gives: [required, at most]; the required ones must not be left out. */
  readonly inputs: readonly [number, number];
  /** The attributes it reads; any other attribute on a node is refused. */
  readonly attributes: readonly string[];
  /** Inputs read at load time (shapes, axes, scales, Clip bounds…): they must be constants. */
  readonly staticInputs?: readonly number[];
  /** Inputs holding running statistics: float initializers given there become buffers, not parameters. */
  readonly bufferInputs?: readonly number[];
  /**
   * Computes the outputs at load time when every input is a constant (integer shape arithmetic,
   * `Constant`); with `foldsRuntimeInputs` also when some are not (Shape reads only the rank).
   */
  readonly fold?: (ctx: LoadContext, inputs: readonly (HostTensor | undefined)[]) => HostTensor[];
  readonly foldsRuntimeInputs?: boolean;
  /** The ranks of the outputs, when known (default: one output of input 0's rank). */
  readonly rank?: (ctx: LoadContext) => (number | undefined)[];
  /** Compiles the node into a kernel for run time. */
  readonly build?: (ctx: LoadContext) => Kernel;
}

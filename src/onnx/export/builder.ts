import { create } from '@bufbuild/protobuf';
import type { Tensor } from '../../index.js';
import type { Pattern } from '../pattern.js';
import {
  AttributeProto_AttributeType as AttributeType, AttributeProtoSchema, NodeProtoSchema, TensorProto_DataType, TensorProtoSchema,
  type AttributeProto, type NodeProto, type TensorProto,
} from '../proto/onnx_pb.js';

/** An attribute value: an integer or list of integers (INT, INTS), a float (FLOAT), a string or a tensor (TENSOR). */
export type AttributeValue = number | readonly number[] | { float: number } | string | TensorProto;

/** A TensorProto of FLOAT values (raw little-endian bytes). */
export function floatTensorProto(name: string, dims: readonly number[], values: Float32Array): TensorProto {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, rawData: bytes });
}

function attribute(name: string, value: AttributeValue): AttributeProto {
  if (typeof value === 'string') return create(AttributeProtoSchema, { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
  if (typeof value === 'number') return create(AttributeProtoSchema, { name, type: AttributeType.INT, i: BigInt(value) });
  if ('float' in value) return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: value.float });
  if ('dataType' in value) return create(AttributeProtoSchema, { name, type: AttributeType.TENSOR, t: value });
  return create(AttributeProtoSchema, { name, type: AttributeType.INTS, ints: value.map(BigInt) });
}

/** Collects the nodes and initializers of a graph under unique names. */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly #names = new Set<string>();

  /** A value name not used yet, from `hint`. */
  unique(hint: string): string {
    let name = hint;
    for (let i = 1; this.#names.has(name); i++) name = `${hint}_${i}`;
    this.#names.add(name);
    return name;
  }

  /** Adds a float initializer holding `t`'s current values; returns its name (`name`, made unique). */
  tensor(name: string, t: Tensor): string {
    const unique = this.unique(name);
    this.initializers.push(floatTensorProto(unique, t.shape, t.toFloat32Array()));
    return unique;
  }

  /** Adds a float initializer of `values` (a scalar when `dims` is []). */
  floats(name: string, dims: readonly number[], values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push(floatTensorProto(unique, dims, Float32Array.from(values)));
    return unique;
  }

  /** Adds an INT64 initializer of `values` (1-D), e.g. a shape or axes. */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.initializers.push(create(TensorProtoSchema, { name: unique, dims: [BigInt(values.length)], dataType: TensorProto_DataType.INT64, int64Data: values.map(BigInt) }));
    return unique;
  }

  /**
   * Writes `pattern` on the value `x` (nodes named `${name}/${opType}`, made unique), operator inputs
   * before constants, each constant a Constant node just before its reader, as PyTorch orders them;
   * returns the output's name.
   */
  pattern(pattern: Pattern, x: string, name: string): string {
    if (pattern === 'x') return x;
    if ('constant' in pattern) {
      return this.node('Constant', `${name}/Constant`, [], { value: floatTensorProto('', [], Float32Array.of(pattern.constant)) });
    }
    const written = new Map<Pattern, string>();
    for (const p of pattern.inputs) if (typeof p === 'object' && 'op' in p) written.set(p, this.pattern(p, x, name));
    const inputs = pattern.inputs.map((p) => written.get(p) ?? this.pattern(p, x, name));
    return this.node(pattern.op, `${name}/${pattern.op}`, inputs);
  }

  /** Adds a node named `name` with one output, and returns the output's name. */
  node(opType: string, name: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    const output = this.unique(`${name}_output`);
    this.nodes.push(create(NodeProtoSchema, {
      name: this.unique(name), opType, input: [...inputs], output: [output],
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    }));
    return output;
  }
}

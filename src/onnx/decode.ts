import { fromBinary } from '@bufbuild/protobuf';
import { OnnxError } from './errors.js';
import { dataTypeName, hostDType, readTensorProto, type HostTensor } from './host-tensor.js';
import { ModelProtoSchema, TensorProto_DataType, type AttributeProto, type ModelProto, type ValueInfoProto } from './proto/onnx_pb.js';

/** The opsets of the default domain (ai.onnx) the importer reads. */
export const MIN_OPSET = 11;
export const MAX_OPSET = 18;

/** A graph input the caller feeds: an f32 tensor whose dimensions are numbers, names (symbolic) or unknown. */
export interface GraphInput {
  readonly name: string;
  readonly dims: readonly (number | string | undefined)[] | undefined;
}

/** One node, as the file gives it; `index` is its position in the graph (for messages). */
export interface OnnxNode {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly AttributeProto[];
}

/** A model's main graph with its initializers read, and the opset it was written for. */
export interface OnnxGraph {
  readonly opset: number;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  readonly initializers: ReadonlyMap<string, HostTensor>;
  readonly nodes: readonly OnnxNode[];
  /** The decoded file. */
  readonly source: ModelProto;
}

/**
 * Decodes an ONNX file (a serialized ModelProto) and checks what the importer relies on: a main graph,
 * a supported opset of the default domain, f32 graph inputs, readable initializers with unique names,
 * and nodes of the default domain. Every failure is an OnnxError; protobuf decoding is done by
 * @bufbuild/protobuf from ONNX's own schema.
 */
export function decodeModel(bytes: Uint8Array): OnnxGraph {
  if (!(bytes instanceof Uint8Array)) throw new OnnxError(`loadOnnx: expected the file's bytes as a Uint8Array, got ${typeof bytes}`);
  let model: ModelProto;
  try {
    model = fromBinary(ModelProtoSchema, bytes);
  } catch (e) {
    throw new OnnxError(`loadOnnx: not a valid ONNX file: protobuf decoding of ${bytes.length} bytes failed (${e instanceof Error ? e.message : String(e)})`);
  }
  const graph = model.graph;
  if (!graph) throw new OnnxError(`loadOnnx: the file holds no graph (is it an ONNX model? ${bytes.length} bytes read)`);
  const opset = defaultOpset(model);
  if (graph.sparseInitializer.length > 0) throw new OnnxError(`loadOnnx: sparse initializers are unsupported ("${graph.sparseInitializer[0].values?.name ?? ''}")`);

  const initializers = new Map<string, HostTensor>();
  for (const t of graph.initializer) {
    if (!t.name) throw new OnnxError('loadOnnx: an initializer has no name');
    if (initializers.has(t.name)) throw new OnnxError(`loadOnnx: two initializers are named "${t.name}"`);
    initializers.set(t.name, readTensorProto(t, `initializer "${t.name}"`));
  }
  const inputs = graph.input.filter((v) => !initializers.has(v.name)).map(graphInput);
  const outputs = graph.output.map((v, i) => {
    if (!v.name) throw new OnnxError(`loadOnnx: graph output #${i} has no name`);
    return v.name;
  });
  if (outputs.length === 0) throw new OnnxError('loadOnnx: the graph has no outputs');
  const nodes = graph.node.map((n, index): OnnxNode => {
    const node = { index, name: n.name, opType: n.opType, inputs: n.input, outputs: n.output, attributes: n.attribute };
    if (n.domain !== '' && n.domain !== 'ai.onnx') {
      throw new OnnxError(`${n.opType} node "${n.name}": operator domain "${n.domain}" is unsupported (only the default domain ai.onnx)`);
    }
    return node;
  });
  return { opset, inputs, outputs, initializers, nodes, source: model };
}

/** The version of the default domain the model imports, checked against the supported range. */
function defaultOpset(model: ModelProto): number {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!entry) throw new OnnxError('loadOnnx: the model imports no opset of the default domain (ai.onnx)');
  const version = Number(entry.version);
  if (!(version >= MIN_OPSET && version <= MAX_OPSET)) {
    throw new OnnxError(`loadOnnx: opset ${entry.version} is unsupported (supported: ${MIN_OPSET} to ${MAX_OPSET}); convert the model, e.g. with onnx.version_converter`);
  }
  return version;
}

function graphInput(v: ValueInfoProto, i: number): GraphInput {
  if (!v.name) throw new OnnxError(`loadOnnx: graph input #${i} has no name`);
  const type = v.type?.value;
  if (type?.case !== 'tensorType') throw new OnnxError(`loadOnnx: graph input "${v.name}" is a ${type?.case ?? 'value of no type'}, not a tensor`);
  if (type.value.elemType !== TensorProto_DataType.FLOAT) {
    const kind = hostDType(type.value.elemType) ? '' : ' (and unsupported)';
    throw new OnnxError(`loadOnnx: graph input "${v.name}" has element type ${dataTypeName(type.value.elemType)}${kind}; only FLOAT inputs are supported`);
  }
  const dims = type.value.shape?.dim.map((d) => {
    if (d.value.case === 'dimValue') return Number(d.value.value);
    return d.value.case === 'dimParam' ? d.value.value : undefined;
  });
  return { name: v.name, dims };
}

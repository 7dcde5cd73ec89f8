import { clone, create, toBinary } from '@bufbuild/protobuf';
import * as sn from '../../index.js';
import { MAX_OPSET, MIN_OPSET } from '../decode.js';
import { OnnxError } from '../errors.js';
import { OnnxModule } from '../module.js';
import {
  ModelProtoSchema, OperatorSetIdProtoSchema, TensorProto_DataType, TensorShapeProto_DimensionSchema, ValueInfoProtoSchema,
  type ModelProto, type ValueInfoProto,
} from '../proto/onnx_pb.js';
import { GraphBuilder, floatTensorProto } from './builder.js';
import { exportableLayers, exporterOf } from './layers.js';

/** Options of `toOnnx`. */
export interface ToOnnxOptions {
  /** The input's shape, e.g. `[1, 1, 28, 28]`; its first dimension (the batch) is written as symbolic. */
  inputShape: readonly number[];
  /** The opset of the default domain to write (11 to 18, default 17). */
  opset?: number;
}

/**
 * Writes `model` as an ONNX file that onnxruntime (and `loadOnnx`) runs with the same outputs: a model
 * built from sn.nn layers (Sequential, nested or not, of Conv2d, ConvTranspose2d, Linear, MaxPool2d,
 * AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d (global, or output sizes dividing the input's),
 * Upsample, BatchNorm1d, BatchNorm2d, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, Hardswish, Hardsigmoid,
 * SiLU, GELU (both approximations, written as PyTorch 1.13 writes them: Erf or Tanh patterns, ONNX
 * having no Gelu before opset 20), Softmax, Dropout, Flatten, Identity), in eval mode, with
 * initializers named by the state-dict keys; or a model from `loadOnnx`, written back as its graph
 * with the current values of its parameters and buffers (e.g. after fine-tuning).
 */
export function toOnnx(model: sn.nn.Module, options: ToOnnxOptions): Uint8Array {
  if (model instanceof OnnxModule) return toBinary(ModelProtoSchema, withCurrentWeights(model, options.opset));
  const opset = options.opset ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) throw new OnnxError(`toOnnx: opset ${opset} is unsupported (${MIN_OPSET} to ${MAX_OPSET})`);
  const { inputShape } = options;
  if (!Array.isArray(inputShape) || inputShape.length === 0 || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new OnnxError(`toOnnx: inputShape ${JSON.stringify(inputShape)} must list positive integers, batch first`);
  }
  const b = new GraphBuilder();
  const input = b.unique('input');
  const modes = trainingModes(model);
  model.eval();
  try {
    const out = sn.noGrad(() => write(model, b, { value: input, y: sn.zeros(inputShape) }, '', opset));
    const graph = {
      name: 'simdnn', node: b.nodes, initializer: b.initializers,
      input: [valueInfo(input, inputShape)], output: [valueInfo(out.value, out.y.shape)],
    };
    return toBinary(ModelProtoSchema, create(ModelProtoSchema, {
      irVersion: 8n, producerName: 'simdnn', graph,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })],
    }));
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
}

/** A value written so far: its name in the graph and the tensor the model computed for the dummy input. */
interface Written {
  value: string;
  y: sn.Tensor;
}

/** Writes a module (a Sequential's layers in order, or one layer) after `x`; `prefix` is its state-dict prefix. */
function write(m: sn.nn.Module, b: GraphBuilder, x: Written, prefix: string, opset: number): Written {
  const sequential: boolean = m.constructor === sn.nn.Sequential; // exactly: a subclass may have its own forward
  if (sequential) {
    return m.namedChildren().reduce((h, [name, child]) => write(child, b, h, `${prefix}${name}.`, opset), x);
  }
  const exporter = exporterOf(m);
  const name = prefix ? prefix.slice(0, -1) : m.constructor.name;
  if (!exporter) throw new OnnxError(`toOnnx: layer ${m.constructor.name} ("${name}") is unsupported (supported: Sequential, ${exportableLayers().join(', ')})`);
  const y = m.forward(x.y);
  return { value: exporter(m, { b, x: x.value, inShape: x.y.shape, outShape: y.shape, prefix, name, opset }), y };
}

/** Every module's training flag, to restore after the export's eval-mode pass. */
function trainingModes(model: sn.nn.Module): [sn.nn.Module, boolean][] {
  return [[model, model.training], ...model.namedChildren().flatMap(([, child]) => trainingModes(child))];
}

/** A FLOAT tensor value with a symbolic first dimension (`batch`). */
function valueInfo(name: string, shape: readonly number[]): ValueInfoProto {
  const dim = shape.map((d, i) => create(TensorShapeProto_DimensionSchema, {
    value: i === 0 ? { case: 'dimParam', value: 'batch' } : { case: 'dimValue', value: BigInt(d) },
  }));
  return create(ValueInfoProtoSchema, {
    name, type: { value: { case: 'tensorType', value: { elemType: TensorProto_DataType.FLOAT, shape: { dim } } } },
  });
}

/** A loaded model's source graph with its initializers replaced by the module's current parameters and buffers. */
function withCurrentWeights(model: OnnxModule, opset: number | undefined): ModelProto {
  const source = clone(ModelProtoSchema, model.source);
  const version = source.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')!.version;
  if (opset !== undefined && BigInt(opset) !== version) {
    throw new OnnxError(`toOnnx: the model was loaded from opset ${version} and is written back as it is; converting it to opset ${opset} is unsupported`);
  }
  const state = model.stateDict();
  source.graph!.initializer = source.graph!.initializer.map((t) => {
    const current = state[t.name];
    return current ? floatTensorProto(t.name, current.shape, current.toFloat32Array()) : t;
  });
  return source;
}

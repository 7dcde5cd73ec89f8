import { create, toBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { loadOnnx } from '../../src/onnx/index.js';
import { GraphBuilder, floatTensorProto, type AttributeValue } from '../../src/onnx/export/builder.js';
import { ModelProtoSchema, TensorProto_DataType, TensorProtoSchema, type TensorProto } from '../../src/onnx/proto/onnx_pb.js';
import { expectClose, randomValues } from '../helpers/data.js';
import { runOrt } from '../helpers/ort.js';

// Each operator the importer supports, in the forms opsets 11 to 18 give it (attributes or inputs,
// defaults, padding, broadcasting), run by simdnn on both backends and by onnxruntime-web on the same
// one-node or few-node graph, from the same random inputs.

interface NodeSpec {
  op: string;
  inputs: string[];
  attrs?: Record<string, AttributeValue>;
}

interface Case {
  opset: number;
  /** Graph inputs and their shapes (random values in [-2, 2)). */
  inputs: Record<string, number[]>;
  /** Initializers: f32 values, or INT64 ones with `int`. */
  constants?: Record<string, { dims: number[]; values: number[]; int?: boolean }>;
  /** Nodes in order: node i writes `n<i>_output` (the last one `y`); "$" reads the previous node's output. */
  nodes: NodeSpec[];
}

function constantProto(name: string, c: { dims: number[]; values: number[]; int?: boolean }): TensorProto {
  if (!c.int) return floatTensorProto(name, c.dims, Float32Array.from(c.values));
  return create(TensorProtoSchema, { name, dims: c.dims.map(BigInt), dataType: TensorProto_DataType.INT64, int64Data: c.values.map(BigInt) });
}

function modelBytes(c: Case): Uint8Array {
  const b = new GraphBuilder();
  let last = '';
  for (const [i, node] of c.nodes.entries()) {
    const inputs = node.inputs.map((name) => (name === '$' ? last : name));
    last = b.node(node.op, `n${i}`, inputs, node.attrs);
  }
  const rename = (name: string) => (name === last ? 'y' : name);
  for (const node of b.nodes) node.output = node.output.map(rename);
  const valueInfo = (name: string, dims?: number[]) => ({
    name, type: { value: { case: 'tensorType' as const, value: { elemType: TensorProto_DataType.FLOAT, shape: dims && { dim: dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) } } } },
  });
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, {
    irVersion: 8n, opsetImport: [{ domain: '', version: BigInt(c.opset) }],
    graph: {
      name: 'case', node: b.nodes,
      initializer: Object.entries(c.constants ?? {}).map(([name, t]) => constantProto(name, t)),
      input: Object.entries(c.inputs).map(([name, dims]) => valueInfo(name, dims)),
      output: [valueInfo('y')],
    },
  }));
}

const ints = (...values: number[]) => ({ dims: [values.length], values, int: true });
const scalar = (v: number) => ({ dims: [], values: [v] });

const x4 = { x: [2, 4, 7, 6] };
const cases: Record<string, Case> = {
  'Conv, asymmetric pads, stride 2, dilation 2, 2 groups': {
    opset: 13, inputs: x4, constants: { w: { dims: [6, 2, 3, 3], values: [...randomValues(108, 1)] }, b: { dims: [6], values: [...randomValues(6, 2)] } },
    nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], attrs: { pads: [0, 1, 2, 1], strides: [2, 2], dilations: [2, 2], group: 2 } }],
  },
  'Conv, auto_pad SAME_UPPER on odd sizes with stride 2': {
    opset: 11, inputs: x4, constants: { w: { dims: [3, 4, 2, 3], values: [...randomValues(72, 3)] } },
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } }],
  },
  'Conv 1-D, auto_pad SAME_LOWER': {
    opset: 17, inputs: { x: [2, 3, 9] }, constants: { w: { dims: [5, 3, 4], values: [...randomValues(60, 4)] } },
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], attrs: { auto_pad: 'SAME_LOWER' } }],
  },
  'ConvTranspose, stride 2, pads 1, output_padding 1': {
    opset: 13, inputs: x4, constants: { w: { dims: [4, 3, 3, 3], values: [...randomValues(108, 5)] }, b: { dims: [3], values: [0.1, -0.2, 0.3] } },
    nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w', 'b'], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } }],
  },
  'ConvTranspose, asymmetric pads, 2 groups': {
    opset: 17, inputs: x4, constants: { w: { dims: [4, 2, 2, 3], values: [...randomValues(48, 6)] } },
    nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w'], attrs: { strides: [2, 1], pads: [0, 1, 1, 0], group: 2 } }],
  },
  'MaxPool, ceil_mode and pads': {
    opset: 12, inputs: x4, nodes: [{ op: 'MaxPool', inputs: ['x'], attrs: { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 0], ceil_mode: 1 } }],
  },
  'MaxPool, asymmetric pads': {
    opset: 11, inputs: x4, nodes: [{ op: 'MaxPool', inputs: ['x'], attrs: { kernel_shape: [2, 2], pads: [0, 0, 1, 1], strides: [1, 1] } }],
  },
  'AveragePool, count_include_pad 0 (ONNX\'s default) with pads': {
    opset: 11, inputs: x4, nodes: [{ op: 'AveragePool', inputs: ['x'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] } }],
  },
  'AveragePool, count_include_pad 1, asymmetric pads': {
    opset: 17, inputs: x4, nodes: [{ op: 'AveragePool', inputs: ['x'], attrs: { kernel_shape: [3, 3], pads: [1, 0, 1, 2], count_include_pad: 1 } }],
  },
  'GlobalAveragePool and GlobalMaxPool': {
    opset: 13, inputs: x4, nodes: [{ op: 'GlobalAveragePool', inputs: ['x'] }, { op: 'GlobalMaxPool', inputs: ['x'] }, { op: 'Add', inputs: ['n0_output', 'n1_output'] }],
  },
  'Gemm, transA, alpha and beta, 2-D C': {
    opset: 13, inputs: { a: [5, 3], c: [3, 4] }, constants: { b: { dims: [5, 4], values: [...randomValues(20, 7)] } },
    nodes: [{ op: 'Gemm', inputs: ['a', 'b', 'c'], attrs: { transA: 1, alpha: { float: 0.5 }, beta: { float: 2 } } }],
  },
  'MatMul, 3-D by 2-D': {
    opset: 13, inputs: { a: [2, 3, 4] }, constants: { b: { dims: [4, 5], values: [...randomValues(20, 8)] } },
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'] }],
  },
  'Add, Sub, Mul, Div, broadcasting': {
    opset: 14, inputs: { x: [2, 3, 4, 5], u: [3, 1, 1], z: [5] },
    nodes: [{ op: 'Add', inputs: ['x', 'u'] }, { op: 'Mul', inputs: ['$', 'z'] }, { op: 'Sub', inputs: ['$', 'x'] }, { op: 'Div', inputs: ['$', 'u'] }],
  },
  'Clip with only a min (opset 11 inputs), and with both': {
    opset: 11, inputs: x4, constants: { lo: scalar(-0.5), hi: scalar(1.5) },
    nodes: [{ op: 'Clip', inputs: ['x', 'lo'] }, { op: 'Clip', inputs: ['$', '', 'hi'] }, { op: 'Clip', inputs: ['x', 'lo', 'hi'] }, { op: 'Add', inputs: ['n1_output', '$'] }],
  },
  'Relu, LeakyRelu, Sigmoid, Tanh, HardSigmoid, HardSwish': {
    opset: 14, inputs: x4,
    nodes: [
      { op: 'LeakyRelu', inputs: ['x'], attrs: { alpha: { float: 0.2 } } }, { op: 'HardSigmoid', inputs: ['$'], attrs: { alpha: { float: 0.3 }, beta: { float: 0.4 } } },
      { op: 'HardSwish', inputs: ['x'] }, { op: 'Sigmoid', inputs: ['$'] }, { op: 'Tanh', inputs: ['x'] }, { op: 'Relu', inputs: ['$'] },
      { op: 'Add', inputs: ['n1_output', 'n3_output'] }, { op: 'Add', inputs: ['$', 'n5_output'] },
    ],
  },
  'Softmax and LogSoftmax before opset 13: over all dimensions from axis': {
    opset: 11, inputs: x4, nodes: [{ op: 'Softmax', inputs: ['x'], attrs: { axis: 1 } }, { op: 'LogSoftmax', inputs: ['x'], attrs: { axis: 2 } }, { op: 'Add', inputs: ['n0_output', '$'] }],
  },
  'Softmax and LogSoftmax from opset 13: along one axis': {
    opset: 13, inputs: x4, nodes: [{ op: 'Softmax', inputs: ['x'], attrs: { axis: 1 } }, { op: 'LogSoftmax', inputs: ['x'] }, { op: 'Add', inputs: ['n0_output', '$'] }],
  },
  'ReduceMean with axes as an attribute (opset 13), kept dimensions broadcast back': {
    opset: 13, inputs: x4, nodes: [{ op: 'ReduceMean', inputs: ['x'], attrs: { axes: [2, 3] } }, { op: 'Sub', inputs: ['x', '$'] }],
  },
  'ReduceSum with axes as an input (opset 13), keepdims 0': {
    opset: 13, inputs: x4, constants: { axes: ints(-1, 1) }, nodes: [{ op: 'ReduceSum', inputs: ['x', 'axes'], attrs: { keepdims: 0 } }],
  },
  'ReduceMean with axes as an input (opset 18), keepdims 0': {
    opset: 18, inputs: x4, constants: { axes: ints(2, 3) }, nodes: [{ op: 'ReduceMean', inputs: ['x', 'axes'], attrs: { keepdims: 0 } }],
  },
  'Transpose, Concat along channels, Flatten': {
    opset: 13, inputs: { x: [2, 4, 3, 5], u: [2, 5, 3, 4] },
    nodes: [{ op: 'Transpose', inputs: ['u'], attrs: { perm: [0, 3, 2, 1] } }, { op: 'Concat', inputs: ['x', '$', 'x'], attrs: { axis: 1 } }, { op: 'Flatten', inputs: ['$'], attrs: { axis: 2 } }],
  },
  'Pad (constant value, opset 11) and Pad with axes (opset 18)': {
    opset: 18, inputs: x4, constants: { pads: ints(1, 0, 2, 1, 3, 0, 0, 2), value: scalar(0.5), axes: ints(-1, 1), pads2: ints(2, 1, 0, 3) },
    nodes: [{ op: 'Pad', inputs: ['x', 'pads', 'value'] }, { op: 'Pad', inputs: ['$', 'pads2', '', 'axes'] }],
  },
  'Resize nearest by scales (PyTorch\'s Upsample)': {
    opset: 13, inputs: x4, constants: { scales: { dims: [4], values: [1, 1, 2, 3] } },
    nodes: [{ op: 'Resize', inputs: ['x', '', 'scales'], attrs: { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' } }],
  },
  'Resize linear (half_pixel) by sizes, opset 11 roi input': {
    opset: 11, inputs: x4, constants: { roi: { dims: [0], values: [] }, scales: { dims: [0], values: [] }, sizes: ints(2, 4, 11, 9) },
    nodes: [{ op: 'Resize', inputs: ['x', 'roi', 'scales', 'sizes'], attrs: { mode: 'linear', coordinate_transformation_mode: 'pytorch_half_pixel' } }],
  },
  'Resize linear, align_corners': {
    opset: 18, inputs: x4, constants: { scales: { dims: [4], values: [1, 1, 2, 2] } },
    nodes: [{ op: 'Resize', inputs: ['x', '', 'scales'], attrs: { mode: 'linear', coordinate_transformation_mode: 'align_corners' } }],
  },
  'Gather of a vector of indices, then of a scalar index': {
    opset: 13, inputs: x4, constants: { v: ints(2, 0, 2), i: { dims: [], values: [-1], int: true } },
    nodes: [{ op: 'Gather', inputs: ['x', 'v'], attrs: { axis: 1 } }, { op: 'Gather', inputs: ['$', 'i'], attrs: { axis: 3 } }],
  },
  'Slice with axes and steps': {
    opset: 13, inputs: x4, constants: { starts: ints(1, 0), ends: ints(7, 100), axes: ints(2, -1), steps: ints(2, 3) },
    nodes: [{ op: 'Slice', inputs: ['x', 'starts', 'ends', 'axes', 'steps'] }],
  },
  'Reshape (0 and -1), Squeeze and Unsqueeze as attributes (opset 11)': {
    opset: 11, inputs: x4, constants: { shape: ints(0, -1, 6) },
    nodes: [{ op: 'Reshape', inputs: ['x', 'shape'] }, { op: 'Unsqueeze', inputs: ['$'], attrs: { axes: [0, 3] } }, { op: 'Squeeze', inputs: ['$'], attrs: { axes: [0] } }],
  },
  'Squeeze and Unsqueeze as inputs (opset 13)': {
    opset: 13, inputs: { x: [2, 1, 3] }, constants: { a: ints(1), b: ints(-1) },
    nodes: [{ op: 'Squeeze', inputs: ['x', 'a'] }, { op: 'Unsqueeze', inputs: ['$', 'b'] }],
  },
  'BatchNormalization on [N, C] inputs, eval mode': {
    opset: 15, inputs: { x: [5, 3] }, constants: { s: { dims: [3], values: [1, 2, 0.5] }, b: { dims: [3], values: [0, 1, -1] }, m: { dims: [3], values: [0.1, 0.2, -0.3] }, v: { dims: [3], values: [1, 0.5, 2] } },
    nodes: [{ op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], attrs: { epsilon: { float: 1e-3 } } }],
  },
  'Dropout as an attribute (opset 11) and with a ratio input (opset 13), eval mode': {
    opset: 13, inputs: x4, constants: { r: scalar(0.3) }, nodes: [{ op: 'Dropout', inputs: ['x', 'r'] }, { op: 'Relu', inputs: ['$'] }],
  },
};

afterEach(() => sn.setBackend('wasm'));

describe.each(Object.entries(cases))('%s', (_, c) => {
  const bytes = modelBytes(c);
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, shape], i) => {
    const size = shape.reduce((a, d) => a * d, 1);
    return [name, { shape, values: Array.from(randomValues(size, 100 + i), (v) => 2 * v) }];
  }));

  it.each(['wasm', 'ts'] as const)('gives onnxruntime-web\'s outputs on the %s backend', async (backend) => {
    const expected = await runOrt(bytes, inputs);
    sn.setBackend(backend);
    const model = loadOnnx(bytes).eval();
    const y = sn.noGrad(() => model.forward(...Object.values(inputs).map((t) => sn.tensor(t.values, t.shape))));
    expect(y.shape).toEqual(expected.shape);
    expectClose(y.toFloat32Array(), expected.values, (i) => 1e-5 + 1e-5 * Math.abs(expected.values[i]), backend);
  });
});

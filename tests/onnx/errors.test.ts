import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { OnnxError, loadOnnx } from '../../src/onnx/index.js';
import { AttributeProtoSchema, AttributeProto_AttributeType, ModelProtoSchema, TensorProto_DataType, type ModelProto } from '../../src/onnx/proto/onnx_pb.js';
import { ONNX_FIXTURES, onnxBytes } from '../helpers/onnx.js';

// What loadOnnx says about files it cannot read or run: always an OnnxError (a SimdnnError) whose
// message names the node, its op type and what is unsupported or wrong.

const viewnet = onnxBytes(ONNX_FIXTURES.viewnet);

/** The view() net with `edit` applied to its decoded model. */
function edited(edit: (model: ModelProto) => void): Uint8Array {
  const model = fromBinary(ModelProtoSchema, viewnet);
  edit(model);
  return toBinary(ModelProtoSchema, model);
}

function expectOnnxError(bytes: Uint8Array, message: RegExp): void {
  expect(() => loadOnnx(bytes)).toThrow(OnnxError);
  expect(() => loadOnnx(bytes)).toThrow(message);
}

describe('loadOnnx refuses what it does not support, naming the node, op and reason', () => {
  it('an unsupported operator', () => {
    expectOnnxError(edited((m) => { m.graph!.node[1].opType = 'Elu'; }), /^Elu node "\/Relu": operator Elu is unsupported \(supported: .*Conv.*\)/);
  });

  it('an attribute the operator does not know', () => {
    expectOnnxError(edited((m) => {
      m.graph!.node[0].attribute.push(create(AttributeProtoSchema, { name: 'bogus', type: AttributeProto_AttributeType.INT, i: 1n }));
    }), /^Conv node "\/conv\/Conv": unsupported attribute "bogus" \(supported: auto_pad, dilations, group, kernel_shape, pads, strides\)/);
  });

  it('an attribute value it does not support', () => {
    expectOnnxError(edited((m) => {
      m.graph!.node[0].attribute.push(create(AttributeProtoSchema, { name: 'auto_pad', type: AttributeProto_AttributeType.STRING, s: new TextEncoder().encode('FULL') }));
    }), /^Conv node "\/conv\/Conv": auto_pad "FULL" is unsupported/);
  });

  it('an attribute of the wrong type', () => {
    expectOnnxError(edited((m) => { m.graph!.node[0].attribute.find((a) => a.name === 'group')!.type = AttributeProto_AttributeType.FLOAT; }),
      /^Conv node "\/conv\/Conv": attribute "group" has type FLOAT, expected INT/);
  });

  it('an unsupported data type', () => {
    expectOnnxError(edited((m) => { m.graph!.initializer[0].dataType = TensorProto_DataType.FLOAT16; }),
      /^initializer "conv.weight": unsupported data type FLOAT16/);
  });

  it('an integer graph input', () => {
    expectOnnxError(edited((m) => {
      const type = m.graph!.input[0].type!.value;
      if (type.case === 'tensorType') type.value.elemType = TensorProto_DataType.INT64;
    }), /graph input "input" has element type INT64; only FLOAT inputs are supported/);
  });

  it('an opset outside 11 to 18', () => {
    expectOnnxError(edited((m) => { m.opsetImport[0].version = 9n; }), /opset 9 is unsupported \(supported: 11 to 18\)/);
  });

  it('another operator domain', () => {
    expectOnnxError(edited((m) => { m.graph!.node[1].domain = 'com.microsoft'; }), /^Relu node "\/Relu": operator domain "com.microsoft" is unsupported/);
  });

  it('a required input left out, and an input nothing produces', () => {
    expectOnnxError(edited((m) => { m.graph!.node[0].input = ['input']; }), /^Conv node "\/conv\/Conv": has 1 input\(s\), expected 2 to 3/);
    expectOnnxError(edited((m) => { m.graph!.node[1].input = ['nowhere']; }),
      /^Relu node "\/Relu": input "nowhere" is neither a graph input, an initializer nor the output of an earlier node/);
  });

  it('weights whose data does not match their dims', () => {
    expectOnnxError(edited((m) => { m.graph!.initializer[0].dims = [4n, 1n, 3n, 4n]; }),
      /^initializer "conv.weight": raw_data holds 144 bytes but dims \[4, 1, 3, 4\] of FLOAT need 192/);
  });

  it('a run-time shape error, with the node named', () => {
    const model = loadOnnx(edited((m) => { m.graph!.initializer[2].dims = [10n, 50n]; m.graph!.initializer[2].rawData = m.graph!.initializer[2].rawData.slice(0, 2000); }));
    expect(() => model.forward(sn.zeros([1, 1, 12, 12]))).toThrow(/^Gemm node "\/fc\/Gemm": linear: input \[1, 100\] does not end in 50 features/);
  });
});

describe('loadOnnx on files that are not ONNX models', () => {
  it('a truncated file, with an OnnxError that is a SimdnnError', () => {
    expectOnnxError(viewnet.subarray(0, 1000), /^loadOnnx: not a valid ONNX file: protobuf decoding of 1000 bytes failed/);
    expect(() => loadOnnx(viewnet.subarray(0, 1000))).toThrow(sn.SimdnnError);
  });

  it('an empty file and random bytes', () => {
    expectOnnxError(new Uint8Array(0), /the file holds no graph/);
    expectOnnxError(Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256), /^loadOnnx: /);
  });

  it('something that is not bytes', () => {
    expectOnnxError('model.onnx' as unknown as Uint8Array, /expected the file's bytes as a Uint8Array, got string/);
  });
});

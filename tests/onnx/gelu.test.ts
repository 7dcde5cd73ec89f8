import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { OnnxError, loadOnnx, toOnnx } from '../../src/onnx/index.js';
import { floatTensorProto } from '../../src/onnx/export/builder.js';
import { ModelProtoSchema, type ModelProto } from '../../src/onnx/proto/onnx_pb.js';
import { expectClose } from '../helpers/data.js';
import { ONNX_FIXTURES, onnxBytes } from '../helpers/onnx.js';

// Opsets before 20 have no Gelu operator: PyTorch 1.13 (and toOnnx) write nn.GELU() as
// x·(1 + Erf(x/√2))·0.5 and nn.GELU(approximate='tanh') as 0.5·(x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))).
// loadOnnx recognises both patterns and runs each as one sn.F.gelu; an Erf anywhere else is refused.

type Approximate = 'none' | 'tanh';
const bitsOf = (t: sn.Tensor) => new Uint32Array(t.toFloat32Array().buffer);

/** toOnnx of a lone GELU on [N, 6] (its nodes are named "GELU/Div", "GELU/Erf", "GELU/Constant_1" …), edited. */
function geluFile(approximate: Approximate, edit: (model: ModelProto) => void = () => {}): Uint8Array {
  const model = fromBinary(ModelProtoSchema, toOnnx(new sn.nn.GELU({ approximate }), { inputShape: [1, 6] }));
  edit(model);
  return toBinary(ModelProtoSchema, model);
}

/** Sets the scalar of the Constant node named `name`. */
function setConstant(model: ModelProto, name: string, value: number): void {
  model.graph!.node.find((n) => n.name === name)!.attribute[0].t = floatTensorProto('', [], Float32Array.of(value));
}

afterEach(() => sn.setBackend('wasm'));

describe.each(['wasm', 'ts'] as const)('GELU patterns in ONNX files, on the %s backend', (backend) => {
  it.each(['none', 'tanh'] as const)('runs approximate=%s as one gelu: sn.F.gelu\'s output and input gradient, bit for bit', (approximate) => {
    sn.setBackend(backend);
    sn.manualSeed(5);
    const model = loadOnnx(geluFile(approximate));
    const x = sn.mul(sn.randn([3, 6]), 3);
    const [viaFile, direct] = [(t: sn.Tensor) => model.forward(t), (t: sn.Tensor) => sn.F.gelu(t, { approximate })].map((f) => {
      const input = x.detach();
      input.requiresGrad = true;
      const y = f(input);
      sn.mul(y, sn.arange(18).reshape(3, 6)).sum().backward();
      return { y: bitsOf(y), grad: bitsOf(input.grad!) };
    });
    expect(viaFile).toEqual(direct);
  });

  it('runs PyTorch\'s GeluNet as Conv, the Erf pattern, Conv with batch norm and the Tanh pattern', () => {
    sn.setBackend(backend);
    const model = loadOnnx(onnxBytes(ONNX_FIXTURES.gelunet));
    expect(model.nodes.map((n) => n.opType)).toEqual([
      'Conv', 'Div', 'Erf', 'Add', 'Mul', 'Mul',
      'Conv', 'BatchNormalization', 'Mul', 'Mul', 'Mul', 'Add', 'Mul', 'Tanh', 'Add', 'Mul', 'Mul',
      'GlobalAveragePool', 'Flatten', 'Gemm',
    ]);
  });

  it('runs a near miss (0.05 for 0.044715) as its separate nodes, which compute the edited formula', () => {
    sn.setBackend(backend);
    const model = loadOnnx(geluFile('tanh', (m) => setConstant(m, 'GELU/Constant', 0.05)));
    const x = sn.randn([3, 6]);
    const values = x.toFloat32Array();
    const expected = values.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.05 * v ** 3))));
    expectClose(sn.noGrad(() => model.forward(x)).toFloat32Array(), expected, () => 1e-6, 'unfused tanh pattern');
  });
});

describe('an Erf that is not part of GELU\'s pattern', () => {
  const refused = /^Erf node "GELU\/Erf": operator Erf is unsupported outside GELU's pattern x·\(1 \+ Erf\(x\/√2\)\)·0\.5 \(supported: .*Tanh/;

  it('is refused with an OnnxError naming the node: another constant', () => {
    expect(() => loadOnnx(geluFile('none', (m) => setConstant(m, 'GELU/Constant_1', 2)))).toThrow(OnnxError);
    expect(() => loadOnnx(geluFile('none', (m) => setConstant(m, 'GELU/Constant_1', 2)))).toThrow(refused);
  });

  it('is refused when a value inside the pattern is read elsewhere (here a graph output)', () => {
    const file = geluFile('none', (m) => m.graph!.output.push({ ...m.graph!.output[0], name: 'GELU/Erf_output' }));
    expect(() => loadOnnx(file)).toThrow(refused);
  });

  it('is refused when a constant of the pattern is an initializer, which loadOnnx makes a trainable parameter', () => {
    const file = geluFile('none', (m) => {
      const graph = m.graph!;
      graph.node = graph.node.filter((n) => n.name !== 'GELU/Constant');
      graph.initializer.push(floatTensorProto('GELU/Constant_output', [], Float32Array.of(Math.SQRT2)));
    });
    expect(() => loadOnnx(file)).toThrow(refused);
  });
});

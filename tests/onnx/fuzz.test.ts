import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import * as sn from '../../src/index.js';
import { OnnxError, loadOnnx } from '../../src/onnx/index.js';
import { AttributeProto_AttributeType, ModelProtoSchema } from '../../src/onnx/proto/onnx_pb.js';
import { ONNX_FIXTURES, onnxBytes } from '../helpers/onnx.js';

// 10,000 mutated ONNX files (the view() net; every fifth the MobileNet-style net, and every fifth the
// GELU net, whose Erf and Tanh patterns are matched at load): half damaged
// byte by byte (bit flips, overwritten bytes, truncation, cut or repeated slices, huge length
// prefixes), half edited as messages (attributes, dims, element types, node inputs and op types,
// initializers) and re-encoded, so that the importer's own checks are exercised behind the protobuf
// decoder. loadOnnx must return a module or throw an OnnxError; every fourth module that loads must
// run a batch of one or throw a SimdnnError (OnnxError is one).

const bases = [ONNX_FIXTURES.viewnet, ONNX_FIXTURES.mobilenet, ONNX_FIXTURES.gelunet].map(onnxBytes);
const inputShapes = [[1, 1, 12, 12], [1, 3, 16, 16], [1, 3, 12, 12]];

type Random = (n: number) => number;

function byteMutation(bytes: Uint8Array, random: Random): Uint8Array {
  const out = bytes.slice();
  const at = random(bytes.length);
  switch (random(6)) {
    case 0: for (let i = 0; i <= random(4); i++) out[random(out.length)] ^= 1 << random(8); return out;
    case 1: for (let i = 0; i <= random(4); i++) out[random(out.length)] = random(256); return out;
    case 2: return bytes.slice(0, at);
    case 3: return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1 + random(64))]);
    case 4: return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at, at + 1 + random(64)), ...bytes.subarray(at)]);
    default: out.set([0xff, 0xff, 0xff, 0xff, 0x0f].slice(0, Math.min(1 + random(5), out.length - at)), at); return out;
  }
}

const wild = (random: Random): number => [0, 1, -1, 2, 3, 7, 65535, 2 ** 31, -(2 ** 40), random(100) - 50][random(10)];

function messageMutation(bytes: Uint8Array, random: Random): Uint8Array {
  const model = fromBinary(ModelProtoSchema, bytes);
  const graph = model.graph!;
  const node = graph.node[random(graph.node.length)];
  const init = graph.initializer[random(graph.initializer.length)];
  const allOps = graph.node.map((n) => n.opType);
  switch (random(9)) {
    case 0: { // an attribute's value
      const a = node.attribute[random(Math.max(node.attribute.length, 1))];
      if (a) {
        a.i = BigInt(wild(random));
        a.f = [NaN, -1, 0, 1e30][random(4)];
        a.ints = a.ints.map(() => BigInt(wild(random)));
      }
      break;
    }
    case 1: { // an attribute's declared type
      const a = node.attribute[random(Math.max(node.attribute.length, 1))];
      if (a) a.type = [AttributeProto_AttributeType.INT, AttributeProto_AttributeType.INTS, AttributeProto_AttributeType.TENSOR, AttributeProto_AttributeType.GRAPH][random(4)];
      break;
    }
    case 2: node.opType = allOps[random(allOps.length)]; break;
    case 3: node.input = node.input.slice(0, random(node.input.length + 1)); break;
    case 4: node.input[random(Math.max(node.input.length, 1))] = ['', 'missing', graph.node[random(graph.node.length)].output[0]][random(3)]; break;
    case 5: if (init) init.dims[random(Math.max(init.dims.length, 1))] = BigInt(wild(random)); break;
    case 6: if (init) init.dataType = random(30); break;
    case 7: graph.initializer.splice(random(graph.initializer.length), 1); break;
    default: model.opsetImport[0].version = BigInt(random(25)); break;
  }
  return toBinary(ModelProtoSchema, model);
}

function expectTyped(e: unknown, type: typeof sn.SimdnnError, what: string): void {
  if (!(e instanceof type)) throw new Error(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not a ${type.name}`);
}

describe('loadOnnx on 10,000 mutated files', () => {
  it('returns a module that runs or throws an OnnxError, nothing else', () => {
    const rng = xoroshiro128plus(10);
    const random: Random = (n) => Math.floor(((rng.next() >>> 0) / 2 ** 32) * n);
    let loaded = 0;
    sn.noGrad(() => {
      for (let i = 0; i < 10_000; i++) {
        const which = [0, 0, 0, 2, 1][i % 5];
        const bytes = i % 2 === 0 ? byteMutation(bases[which], random) : messageMutation(bases[which], random);
        let model;
        try {
          model = loadOnnx(bytes);
        } catch (e) {
          expectTyped(e, OnnxError, `mutant ${i}: loadOnnx`);
          continue;
        }
        if (loaded++ % 4 !== 0) continue;
        try {
          model.eval().forward(sn.zeros(inputShapes[which])).dispose();
        } catch (e) {
          expectTyped(e, sn.SimdnnError, `mutant ${i}: forward`);
        }
      }
    });
    expect(loaded).toBeGreaterThan(100); // mutants that still load are run too
  });
});

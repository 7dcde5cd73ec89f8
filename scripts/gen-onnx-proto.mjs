// Generates src/onnx/proto/onnx_pb.ts from src/onnx/proto/onnx.proto (ONNX's own schema, copied from
// the onnx/onnx repository, onnx/onnx.proto at commit f7546912001bc31e92a238b17068a21b373d882e, IR
// version 14) with the buf CLI and protoc-gen-es (@bufbuild/protoc-gen-es, devDependencies). The
// generated file is committed; run `node scripts/gen-onnx-proto.mjs` after changing the schema.
import { execFileSync } from 'node:child_process';

const template = {
  version: 'v2',
  plugins: [{ local: 'protoc-gen-es', out: 'src/onnx/proto', opt: ['target=ts', 'import_extension=js'] }],
};
execFileSync('npx', ['buf', 'generate', 'src/onnx/proto', '--template', JSON.stringify(template)], { stdio: 'inherit' });

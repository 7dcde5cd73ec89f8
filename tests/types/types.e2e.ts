// simdnn's types as TypeScript users see them. The package is packed (`npm pack`) and installed into
// a scratch folder holding two consumer projects that type-check the same code with `tsc`, library
// declarations included (skipLibCheck off):
//   node16   moduleResolution node16, Node's types, no DOM (a Node program)
//   bundler  moduleResolution bundler, the DOM, no Node types (a browser app)
// The code uses the public API the way users write it, and one deliberate mistake per project must
// be reported (so the types are real, not `any`). Run by `npm run test:package` (part of `npm test`),
// after `npm run build:lib`. Not a vitest file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPacked } from '../helpers/install-packed.js';

const repository = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(repository, 'node_modules', '.bin', 'tsc');

/** A user's code: a model, training, state dicts, storage; the last line is a mistake tsc must catch. */
const consumer = `import * as sn from 'simdnn';
import { OnnxError, loadOnnx, toOnnx, type OnnxModule } from 'simdnn/onnx';

const model = new sn.nn.Sequential(new sn.nn.Conv2d(1, 4, 3), new sn.nn.ReLU(), new sn.nn.Flatten(), new sn.nn.Linear(4 * 26 * 26, 10));
const optimizer = new sn.optim.Adam(model.parameters(), { lr: 1e-3 });
const logits: sn.Tensor = model.forward(sn.randn([2, 1, 28, 28]));
sn.F.crossEntropy(logits, sn.tensor([3, 7])).backward();
optimizer.step();
const result: sn.nn.LoadStateDictResult = model.loadStateDict(sn.io.fromSafetensors(sn.io.toSafetensors(model.stateDict())), { strict: false });
const missing: string[] = result.missingKeys;

export async function keep(file: Blob): Promise<number> {
  await sn.ready();
  await sn.io.save(model, 'indexeddb://lenet', { metadata: { format: 'pt' } });
  await sn.io.save(optimizer, 'downloads://adam');
  await sn.io.load(model, file);
  await sn.io.loadUrl(optimizer, new URL('https://example.com/adam.safetensors'));
  const { train } = await sn.data.loadMnist({ limit: 10 });
  return train.length + missing.length;
}

export function fineTuneOnnx(bytes: Uint8Array): Uint8Array {
  const loaded: OnnxModule = loadOnnx(bytes);
  const output: sn.Tensor = loaded.train().forward(sn.randn([2, 1, 28, 28]));
  if (!(new OnnxError('x') instanceof sn.SimdnnError)) throw new Error('OnnxError is a SimdnnError');
  output.sum().backward();
  return toOnnx(loaded, { inputShape: [1, 1, 28, 28], opset: 17 });
}

// @ts-expect-error: the mistake tsc must report (a shape is a number[])
sn.zeros('3');
`;

const projects: Record<string, Record<string, unknown>> = {
  node16: { module: 'node16', moduleResolution: 'node16', lib: ['es2022'], types: ['node'] },
  bundler: { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
};

const scratch = mkdtempSync(join(tmpdir(), 'simdnn-types-'));
let failed = false;
try {
  installPacked(scratch);
  symlinkSync(join(repository, 'node_modules', '@types'), join(scratch, 'node_modules', '@types'));
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumers', private: true, type: 'module' }));
  for (const [name, options] of Object.entries(projects)) {
    const dir = join(scratch, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.ts'), consumer);
    const compilerOptions = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, ...options };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }, null, 2));
    try {
      execFileSync(tsc, ['-p', dir], { encoding: 'utf8' });
      console.log(`types e2e: ${name}: simdnn's types check (${JSON.stringify(options)})`);
    } catch (error) {
      failed = true;
      console.error(`types e2e: FAILED: ${name}:\n${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

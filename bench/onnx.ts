// `npm run bench -- onnx`: inference of ONNX files exported by PyTorch (the residual and MobileNet-style
// nets of tests/fixtures/onnx, each as exported for fine-tuning, with batch norm kept, and as
// torch.onnx.export's defaults write it, batch norm folded into the convolutions), loaded by
// simdnn/onnx (wasm backend) and by onnxruntime-web (its wasm
// backend in Node, all graph optimisations), one thread each, at batch 1 and 32 on the same input, in
// interleaved rounds (median and best round, so that load from other processes hits both alike); and
// the size of the simdnn/onnx bundle (minified, gzipped, the core left outside as it ships).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import * as ort from 'onnxruntime-web';
import { interleavedRounds, median } from '../src/cli/bench.js';
import * as sn from '../src/index.js';
import { loadOnnx } from '../src/onnx/index.js';

/** The files timed: each net as exported for fine-tuning, and with torch.onnx.export's defaults. */
const FILES = (['resnet', 'mobilenet'] as const).flatMap((net) => [
  { net, label: net, field: 'onnxBase64' as const },
  { net, label: `${net}, default export`, field: 'defaultExportBase64' as const },
]);
const BATCHES = [1, 32];

interface Fixture {
  onnxBase64: string;
  defaultExportBase64: string;
  input: { shape: number[] };
}

const ROUNDS = 9;
const ROUND_MS = 150;

/** Time per call (ms) of `fn` over about ROUND_MS of calls. */
async function msPerCall(fn: () => unknown): Promise<number> {
  const start = performance.now();
  let calls = 0;
  while (performance.now() - start < ROUND_MS) {
    await fn();
    calls++;
  }
  return (performance.now() - start) / calls;
}

/** Median and best time per call of each task, ms, over interleaved rounds after a warm-up round. */
async function time(tasks: Record<string, () => unknown>): Promise<Record<string, { median: number; best: number }>> {
  const contenders = Object.fromEntries(Object.entries(tasks).map(([name, fn]) => [name, () => msPerCall(fn)]));
  await interleavedRounds(contenders, 1);
  const rounds = await interleavedRounds(contenders, ROUNDS);
  return Object.fromEntries(Object.entries(rounds).map(([name, ms]) => [name, { median: median(ms), best: Math.min(...ms) }]));
}

/** The gzipped size of src/onnx bundled as dist/onnx.js is, minified, with the core as an external 'simdnn'. */
async function onnxBundleBytes(): Promise<{ raw: number; gzip: number }> {
  const coreIndex = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/onnx/index.ts', import.meta.url))],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'warning',
    plugins: [{
      name: 'core-as-package',
      setup(b) {
        b.onResolve({ filter: /index\.js$/ }, (args) => (resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === coreIndex ? { path: 'simdnn', external: true } : undefined));
      },
    }],
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export async function benchOnnx(): Promise<Record<string, string | number>[]> {
  ort.env.wasm.numThreads = 1;
  sn.setBackend('wasm');
  const rows: Record<string, string | number>[] = [];
  for (const { net, label, field } of FILES) {
    const fixture = JSON.parse(readFileSync(new URL(`../tests/fixtures/onnx/${net}.json`, import.meta.url), 'utf8')) as Fixture;
    const bytes = Uint8Array.from(Buffer.from(fixture[field], 'base64'));
    const model = loadOnnx(bytes).eval();
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    for (const batch of BATCHES) {
      const shape = [batch, ...fixture.input.shape.slice(1)];
      const x = sn.randn(shape);
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x.toFloat32Array(), shape) };
      const t = await time({
        simdnn: () => sn.noGrad(() => model.forward(x)).dispose(),
        onnxruntime: () => session.run(feeds),
      });
      rows.push({
        model: label, batch, simdnnMs: t.simdnn.median, ortMs: t.onnxruntime.median,
        'speed-up vs ORT (median)': t.onnxruntime.median / t.simdnn.median, 'speed-up vs ORT (best)': t.onnxruntime.best / t.simdnn.best,
      });
    }
    await session.release();
  }
  const size = await onnxBundleBytes();
  const label = `simdnn/onnx bundle: ${(size.raw / 1024).toFixed(1)} KB minified, ${(size.gzip / 1024).toFixed(1)} KB gzipped (core external)`;
  rows.push({ model: label, batch: '-', simdnnMs: '-', ortMs: '-', 'speed-up vs ORT (median)': '-', 'speed-up vs ORT (best)': '-' });
  return rows;
}

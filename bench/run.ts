// `npm run bench [suite ...]`: runs the benchmark suites, prints a table for each and writes
// bench/results/<suite>.json. Every figure is a ratio against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { measureSimdPeak } from './peak.js';
import { kernelInfo, setNumThreads } from '../src/backend/index.js';

/**
 * A suite returns rows of plain values; `peakGflops` is this run's measured wasm SIMD128 peak (mul then
 * add), `fmaPeakGflops` its relaxed-SIMD fused multiply-add peak (the yardstick of the default kernels).
 */
type Suite = (peakGflops: number, fmaPeakGflops: number) => Promise<Record<string, string | number>[]>;

/** Each suite's module, imported only by the process that runs it (peers such as tfjs and onnxruntime-web load slowly). */
const suites: Record<string, () => Promise<Suite>> = {
  gemm: async () => (await import('./gemm.js')).benchGemm,
  conv2d: async () => (await import('./conv2d.js')).benchConv2d,
  pool2d: async () => (await import('./pool2d.js')).benchPool2d,
  optim: async () => (await import('./optim.js')).benchOptim,
  'core-ops': async () => (await import('./core-ops.js')).benchCoreOps,
  'bundle-size': async () => (await import('./bundle-size.js')).benchBundleSize,
  training: async () => (await import('./training.js')).benchTraining,
  threads: async () => (await import('./threads.js')).benchThreads,
  augment: async () => (await import('./augment.js')).benchAugment,
  onnx: async () => (await import('./onnx.js')).benchOnnx,
};

function format(value: string | number): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((c) => format(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i])).join('  ');
  console.log(`\n${title}\n${line(columns)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of cells) console.log(line(r));
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in suites));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(suites);

if (names.length > 1) {
  // Each suite in a process of its own, so that one suite's state cannot slow the next: V8 tunes the
  // library's JS to the shapes and types it has seen, and batch-1 ONNX inference ran 7–10 % slower
  // after the training suite than on its own.
  for (const name of names) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
  process.exit(0);
}

const peakGflops = await measureSimdPeak('simd128');
const fmaPeakGflops = await measureSimdPeak('relaxed-simd');
const kernels = kernelInfo();
console.log(`wasm SIMD peak (independent f32x4 mul+add chains, one thread): ${peakGflops.toFixed(1)} GFLOP/s`);
console.log(`wasm relaxed-SIMD FMA peak (independent f32x4.relaxed_madd chains, one thread): ${fmaPeakGflops.toFixed(1)} GFLOP/s`);
console.log(`kernels: ${kernels.variant} (fused multiply-add: ${kernels.fusedMultiplyAdd})`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
for (const name of names) {
  // Every suite but `threads` measures one thread, as its baselines (the peak, tfjs-wasm, PyTorch) do.
  await setNumThreads(1);
  const suite = await suites[name]();
  const rows = await suite(peakGflops, fmaPeakGflops);
  printTable(name, rows);
  const report = { suite: name, date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, peakGflops, fmaPeakGflops, kernels, rows };
  writeFileSync(new URL(`./results/${name}.json`, import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
}

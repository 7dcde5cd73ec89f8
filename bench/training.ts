// One training step (forward, backward, Adam) of the MNIST LeNet at batch 64: wasm (its default
// relaxed-SIMD kernels, and the portable ones of useDeterministicAlgorithms, in interleaved rounds) vs
// ts in the same run, PyTorch on one thread when /usr/bin/python3 has torch, and whether tfjs-wasm can
// train it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { interleavedRounds, trainingThroughput } from '../src/cli/bench.js';
import { useDeterministicAlgorithms } from '../src/backend/index.js';
import { tfjsWasm } from './peers/tfjs.js';

const BATCH = 64;

/**
 * Samples/s of PyTorch training the LeNet, from bench/peers/pytorch_lenet.py run with `args` (see
 * its usage), or why it could not run.
 */
export function pytorchSamplesPerSecond(args: readonly string[]): number | string {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return 'no /usr/bin/python3';
  try {
    const script = fileURLToPath(new URL('./peers/pytorch_lenet.py', import.meta.url));
    const out = execFileSync(python, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSecond: number }).samplesPerSecond;
  } catch (error) {
    return `PyTorch not available (${(error as Error).message.split('\n')[0]})`;
  }
}

/**
 * Whether tfjs-backend-wasm can train this net: a conv layer's weight gradient needs the
 * Conv2DBackpropFilter kernel, looked up in tfjs's kernel registry for the wasm backend.
 */
async function tfjsCanTrain(): Promise<string> {
  const tf = await tfjsWasm();
  const missing = ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'MaxPoolGrad'].filter((k) => !tf.getKernel(k, 'wasm'));
  return missing.length === 0 ? 'has every kernel (not timed)' : `cannot train it: no wasm kernel for ${missing.join(', ')}`;
}

/** Samples/s of the wasm backend, with the portable kernels when `deterministic`. */
function wasmThroughput(deterministic: boolean): number {
  useDeterministicAlgorithms(deterministic);
  try {
    return trainingThroughput('wasm', { model: 'lenet', batchSize: BATCH, steps: 100 });
  } finally {
    useDeterministicAlgorithms(false);
  }
}

export async function benchTraining(): Promise<Record<string, string | number>[]> {
  const rounds = await interleavedRounds({ relaxed: () => wasmThroughput(false), portable: () => wasmThroughput(true) }, 3);
  const [wasm, portable] = [Math.max(...rounds.relaxed), Math.max(...rounds.portable)];
  const ts = trainingThroughput('ts', { model: 'lenet', batchSize: BATCH, steps: 5 });
  const torch = pytorchSamplesPerSecond([String(BATCH), '200']);
  const tfjs = await tfjsCanTrain();
  const ratio = (peer: number | string) => (typeof peer === 'number' ? wasm / peer : 'n/a');
  return [
    { engine: 'simdnn wasm (relaxed SIMD, the default)', samplesPerSecond: wasm, wasmVsThis: 1 },
    { engine: 'simdnn wasm (portable SIMD128, deterministic)', samplesPerSecond: portable, wasmVsThis: wasm / portable },
    { engine: 'simdnn ts', samplesPerSecond: ts, wasmVsThis: wasm / ts },
    { engine: 'PyTorch 1 thread', samplesPerSecond: torch, wasmVsThis: ratio(torch) },
    { engine: 'tfjs-backend-wasm', samplesPerSecond: tfjs, wasmVsThis: ratio(tfjs) },
  ];
}

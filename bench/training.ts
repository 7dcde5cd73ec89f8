// One training step (forward, backward, Adam) of the MNIST LeNet at batch 64: wasm vs ts in the same
// run, PyTorch on one thread when /usr/bin/python3 has torch, and whether tfjs-wasm can train it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainingThroughput } from '../src/cli/bench.js';
import type { Rank } from '@tensorflow/tfjs-core';
import { tfjsWasm } from './peers/tfjs.js';

const BATCH = 64;

function pytorchSamplesPerSecond(): number | string {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return 'no /usr/bin/python3';
  try {
    const script = fileURLToPath(new URL('./peers/pytorch_lenet.py', import.meta.url));
    const out = execFileSync(python, [script, String(BATCH), '200'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (JSON.parse(out.trim().split('\n').pop()!) as { samplesPerSecond: number }).samplesPerSecond;
  } catch (error) {
    return `PyTorch not available (${(error as Error).message.split('\n')[0]})`;
  }
}

/** Tries a gradient step of a conv net on tfjs-backend-wasm; returns samples/s or why it cannot. */
async function tfjsSamplesPerSecond(): Promise<number | string> {
  const tf = await tfjsWasm();
  const w1 = tf.variable(tf.randomNormal<Rank.R4>([5, 5, 1, 8], 0, 0.1));
  const x = tf.randomNormal<Rank.R4>([BATCH, 28, 28, 1]);
  try {
    const step = () => tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.conv2d(x, w1, 1, 'valid'))), [w1]);
      w1.assign(tf.sub(w1, tf.mul(grads[w1.name], 1e-3)));
    });
    step();
    const start = performance.now();
    for (let i = 0; i < 10; i++) step();
    return (10 * BATCH) / ((performance.now() - start) / 1000);
  } catch (error) {
    return `cannot train a conv net: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    w1.dispose();
    x.dispose();
  }
}

export async function benchTraining(): Promise<Record<string, string | number>[]> {
  const wasm = trainingThroughput('wasm', { model: 'lenet', batchSize: BATCH, steps: 100 });
  const ts = trainingThroughput('ts', { model: 'lenet', batchSize: BATCH, steps: 5 });
  const torch = pytorchSamplesPerSecond();
  const tfjs = await tfjsSamplesPerSecond();
  const ratio = (peer: number | string) => (typeof peer === 'number' ? wasm / peer : 'n/a');
  return [
    { engine: 'simdnn wasm', samplesPerSecond: wasm, wasmVsThis: 1 },
    { engine: 'simdnn ts', samplesPerSecond: ts, wasmVsThis: wasm / ts },
    { engine: 'PyTorch 1 thread', samplesPerSecond: torch, wasmVsThis: ratio(torch) },
    { engine: 'tfjs-backend-wasm', samplesPerSecond: tfjs, wasmVsThis: ratio(tfjs) },
  ];
}

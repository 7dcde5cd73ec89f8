// TensorFlow.js on its wasm backend (SIMD, one thread): the peer our kernels are measured against.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let initialised = false;

/** tfjs-core with the wasm backend active, its SIMD build, limited to one thread (checked, not assumed). */
export async function tfjsWasm(): Promise<typeof tf> {
  if (!initialised) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    setWasmPaths(`${dist}/`);
    setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) throw new Error('tfjs wasm backend runs without SIMD');
    if (getThreadsCount() !== 1) throw new Error(`tfjs wasm backend runs ${getThreadsCount()} threads, not 1`);
    initialised = true;
  }
  return tf;
}

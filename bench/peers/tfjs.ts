// TensorFlow.js on its wasm backend (SIMD, one thread): the peer our kernels are measured against.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let initialised = false;

/** tfjs-core with the wasm backend active, limited to one thread. */
export async function tfjsWasm(): Promise<typeof tf> {
  if (!initialised) {
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
    setWasmPaths(`${dist}/`);
    setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
    initialised = true;
  }
  return tf;
}

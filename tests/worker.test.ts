import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { seededTraining } from './helpers/seeded-training.js';
import type { SeededTrainingReply, SeededTrainingRequest } from './helpers/seeded-training.worker.js';

/** Runs the seeded training in a new module Worker and resolves with its reply. */
function trainInWorker(request: SeededTrainingRequest): Promise<SeededTrainingReply> {
  const worker = new Worker(new URL('./helpers/seeded-training.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<SeededTrainingReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SeededTrainingReply>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

// Web Workers are a browser feature (Node's worker_threads are another API): this file runs its
// cases in the browser project and skips them in Node.
// A worker that awaits ready() loads the relaxed-SIMD kernels (a chunk of their own in browsers);
// one that starts synchronously runs the portable kernels: each gives the main thread's bits for the
// same kernels (issue #13).
describe.skipIf(typeof Worker === 'undefined')('training in a Web Worker', () => {
  it('give the main thread\'s weight and output hashes for the same kernels, with or without awaiting ready() in the worker', async () => {
    await sn.ready(); // the main thread's asynchronous path (determinism.test.ts takes the synchronous one)
    const relaxed = await seededTraining();
    sn.useDeterministicAlgorithms(true);
    const portable = await seededTraining();
    sn.useDeterministicAlgorithms(false);
    const [withReady, withoutReady] = await Promise.all([trainInWorker({ awaitReady: true }), trainInWorker({ awaitReady: false })]);
    expect(withReady).toEqual({ variant: 'relaxed-simd', hashes: relaxed });
    expect(withoutReady).toEqual({ variant: 'simd128', hashes: portable });
  });
});

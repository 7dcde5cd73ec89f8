// Worker threads in Node: node:worker_threads, started from source code (no file to locate).
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ThreadHost } from './thread-host.js';

export const threadHost: ThreadHost = {
  spawn(source, init, events) {
    const code = `${source}\nconst threads = require('node:worker_threads');\n`
      + 'simdnnWorker.start(threads.workerData, (message) => threads.parentPort.postMessage(message));';
    const worker = new Worker(code, { eval: true, workerData: init, name: `simdnn-${init.slot}` });
    // An idle pool never keeps the process alive. Listening for messages takes a reference again in
    // Node 20, so the worker is unreferenced after its (only) message arrives.
    worker.on('message', (message) => {
      worker.unref();
      events.onMessage(message);
    });
    worker.on('error', (error) => events.onExit(error.message));
    worker.on('exit', (code) => events.onExit(`exited with code ${code}`));
    return { terminate: () => void worker.terminate() };
  },
  hardwareThreads: () => availableParallelism(),
  requestedThreads: () => process.env.SIMDNN_NUM_THREADS || undefined,
  unavailable: () => undefined,
  canBlock: () => true,
};

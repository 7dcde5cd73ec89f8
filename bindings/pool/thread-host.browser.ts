// Web Workers in browsers: started from a Blob URL holding the worker's code (no file, no bundler
// setting). Shared memory crosses to workers only in a cross-origin isolated context.
import type { ThreadHost } from './thread-host.js';

export const threadHost: ThreadHost = {
  spawn(source, init, events) {
    const code = `${source}\nself.onmessage = (event) => simdnnWorker.start(event.data, (message) => self.postMessage(message));`;
    const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: `simdnn-${init.slot}` });
    worker.onmessage = (event) => {
      URL.revokeObjectURL(url);
      events.onMessage(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      URL.revokeObjectURL(url);
      events.onExit(event.message || 'failed to start');
    };
    worker.postMessage(init);
    return {
      terminate() {
        worker.terminate();
        events.onExit('terminated');
      },
    };
  },
  hardwareThreads: () => globalThis.navigator?.hardwareConcurrency ?? 1,
  requestedThreads: () => undefined,
  unavailable() {
    if (typeof Worker !== 'function') return 'this context cannot start Web Workers';
    if (!globalThis.crossOriginIsolated) {
      return 'the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin '
        + 'and Cross-Origin-Embedder-Policy: require-corp), so wasm memory cannot be shared with workers';
    }
    return undefined;
  },
  // A page's main thread may not block in Atomics.wait; a worker may.
  canBlock: () => typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined',
};

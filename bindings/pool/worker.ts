// The code a pool worker runs, bundled into a string by scripts/embed-worker.mjs (so that no bundler
// needs a worker file or a URL) and started by thread-host.*.ts. It makes its own instance of the
// kernels over the shared memory, never allocates, and after each job watches for the next one for
// 1 ms before it sleeps in Atomics.wait.
import { GENERATION, GONE, JOB, READY, STATE, controlViews } from './control.js';
import { kernelTables, runChunks, watchThenWait } from './chunks.js';

/** How long a worker watches for the next job before it sleeps. */
const SPIN_MILLISECONDS = 1;

/** What the pool hands a new worker. */
export interface WorkerInit {
  module: WebAssembly.Module;
  /** The relaxed-SIMD kernels, when the pool's thread has loaded them (instantiated next to `module`). */
  relaxed: WebAssembly.Module | undefined;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  /** The slot's generation: the worker serves until the pool bumps it (retiring this worker). */
  generation: number;
}

/** What a worker tells the pool, once: it is ready, or it could not start. */
export type WorkerMessage = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * Instantiates the kernels, reports, then serves jobs until it is retired. A retired worker leaves
 * the slot's state alone: a replacement may already own it.
 */
export function start(init: WorkerInit, post: (message: WorkerMessage) => void): void {
  const control = controlViews(init.control);
  const { i32 } = control;
  let tables;
  try {
    const imports = { env: { memory: init.memory } };
    const portable = { module: init.module, exports: new WebAssembly.Instance(init.module, imports).exports };
    const relaxed = init.relaxed && { module: init.relaxed, exports: new WebAssembly.Instance(init.relaxed, imports).exports };
    tables = kernelTables(portable, relaxed);
  } catch (error) {
    Atomics.store(i32, STATE + init.slot, GONE);
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  let seen = Atomics.load(i32, JOB);
  Atomics.store(i32, STATE + init.slot, READY);
  post({ type: 'ready' });
  for (;;) {
    const job = Atomics.load(i32, JOB);
    // The generation is read after JOB: the pool bumps it before it publishes any job that a retired
    // worker must not join (Atomics are sequentially consistent), so a worker that sees such a job
    // sees its retirement too and leaves without claiming a chunk (it may be terminated any moment).
    if (Atomics.load(i32, GENERATION + init.slot) !== init.generation) return;
    if (job === seen) {
      // The kernels of a training step come back to back: watch for the next job before sleeping.
      watchThenWait(i32, JOB, job, SPIN_MILLISECONDS, true);
      continue;
    }
    seen = job;
    runChunks(control, seen, init.slot, tables);
  }
}

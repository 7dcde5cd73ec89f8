import type { Backend, BackendName } from './backend.js';
import { tsBackend } from './ts/index.js';
import { wasmBackend } from './wasm/index.js';
import { SimdnnError } from '../errors.js';
import { numThreads, setNumThreads as setWasmThreads, startPool } from './wasm/threads.js';

export type { Backend, BackendName, Storage, GemmArgs } from './backend.js';

const backends: Record<BackendName, Backend> = { wasm: wasmBackend, ts: tsBackend };
let current: Backend = wasmBackend;

/** Chooses the backend for tensors created from now on: `'wasm'` (default, SIMD) or `'ts'` (pure TypeScript). */
export function setBackend(name: BackendName): void {
  const backend = backends[name];
  if (!backend) throw new SimdnnError(`setBackend: unknown backend '${String(name)}' (expected 'wasm' or 'ts')`);
  current = backend;
}

/** The name of the backend new tensors are created on. */
export function getBackend(): BackendName {
  return current.name;
}

/** The backend object new tensors are created on. */
export function currentBackend(): Backend {
  return current;
}

/**
 * Prepares the wasm backend asynchronously: compiles the module and starts its worker threads. Node
 * and Web Workers work without it (the module is then compiled synchronously on first use, and the
 * threads join as soon as they are up); on a browser's main thread, await it once before other calls.
 */
export async function ready(): Promise<void> {
  await startPool();
}

/**
 * Runs the wasm backend's kernels on `count` threads from now on: the calling thread and `count − 1`
 * workers sharing its memory (1: no workers at all). Resolves when the workers are ready. Results
 * are bit-identical for every count. Where wasm memory cannot be shared with workers (a browser page
 * that is not cross-origin isolated), one thread is used and one console warning says why. The ts
 * backend always runs on the calling thread.
 */
export async function setNumThreads(count: number): Promise<void> {
  await setWasmThreads(count);
}

/**
 * The wasm backend's thread count. Default: the machine's logical processors (Node:
 * `os.availableParallelism()`, or the environment variable `SIMDNN_NUM_THREADS`; browsers:
 * `navigator.hardwareConcurrency`), at most 8, and 1 where memory cannot be shared with workers.
 */
export function getNumThreads(): number {
  return numThreads();
}

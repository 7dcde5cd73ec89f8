import type { Backend, BackendName } from './backend.js';
import { tsBackend } from './ts/index.js';
import { wasmBackend } from './wasm/index.js';
import { SimdnnError } from '../errors.js';
import { loadWasm } from '../../bindings/instance.js';

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
 * Prepares the wasm backend asynchronously. Node and Web Workers work without it (the module is then
 * compiled synchronously on first use); on a browser's main thread, await it once before other calls.
 */
export async function ready(): Promise<void> {
  await loadWasm();
}

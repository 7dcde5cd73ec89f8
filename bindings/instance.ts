// Instantiates the simdnn wasm module from bytes embedded at build time (no path, no fetch).
// Each bindings/<area>.ts declares the exports it wraps; this file knows only the module itself.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { wasmBase64 } from './wasm-bytes.generated.js';

/** The exports every binding relies on: linear memory and the allocator (assembly/index.ts). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

let instance: CoreExports | undefined;

function wasmBytes(): Uint8Array {
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The module's exports, instantiated synchronously on first use, typed as `T` (the caller's view of
 * the exports it wraps). Node and workers allow a synchronous compile of any size; a browser's main
 * thread may refuse a large one, which awaiting `loadWasm()` first avoids.
 */
export function wasm<T = CoreExports>(): CoreExports & T {
  instance ??= instantiateSync<Record<string, unknown>>(wasmBytes()).exports as unknown as CoreExports;
  return instance as CoreExports & T;
}

/** Instantiates the module asynchronously (the path browsers prefer); later calls resolve at once. */
export async function loadWasm(): Promise<void> {
  if (!instance) {
    const { exports } = await instantiate<Record<string, unknown>>(wasmBytes());
    instance ??= exports as unknown as CoreExports;
  }
}

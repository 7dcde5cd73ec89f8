// Instantiates the simdnn wasm module from bytes embedded at build time (no path, no fetch), over a
// linear memory that worker threads can share (bindings/pool/). Each bindings/<area>.ts declares the
// exports it wraps; this file knows only the module itself.
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { wasmBase64 } from './wasm-bytes.generated.js';
import { memoryFor } from './memory-import.js';

/** The exports every binding relies on: linear memory and the allocator (assembly/index.ts). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

/** The compiled module and its memory: what a worker thread needs for an instance of its own. */
export interface LoadedModule {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is shared (worker threads need it). */
  readonly shared: boolean;
  /** This thread's instance: the only one that allocates or frees. */
  readonly exports: CoreExports;
}

let loaded: LoadedModule | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
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
  return loadedModule().exports as CoreExports & T;
}

/** The module, its memory and this thread's instance (instantiated synchronously on first use). */
export function loadedModule(): LoadedModule {
  if (!loaded) {
    const { bytes, memory, shared } = memoryFor(wasmBytes());
    const module = new WebAssembly.Module(bytes);
    const exports = instantiateSync<Record<string, unknown>>(module, { env: { memory } }).exports as unknown as CoreExports;
    loaded = { module, memory, shared, exports };
  }
  return loaded;
}

/** Instantiates the module asynchronously (the path browsers prefer); later calls resolve at once. */
export async function loadWasm(): Promise<LoadedModule> {
  if (!loaded) {
    const { bytes, memory, shared } = memoryFor(wasmBytes());
    const module = await WebAssembly.compile(bytes);
    const { exports } = await instantiate<Record<string, unknown>>(module, { env: { memory } });
    loaded ??= { module, memory, shared, exports: exports as unknown as CoreExports };
  }
  return loaded;
}

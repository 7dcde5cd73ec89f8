// Instantiates the simdnn wasm modules from bytes embedded at build time (no path, no fetch), over a
// linear memory that worker threads can share (bindings/pool/). Each bindings/<area>.ts declares the
// exports it wraps; this file knows only the modules themselves:
//   the portable module (assembly/index.ts, SIMD128): every kernel and the allocator, same bits in
//     every engine;
//   the relaxed-SIMD module (assembly/relaxed.ts): the hot kernels again, with fused multiply-add,
//     where the engine validates it. It imports the same memory and never allocates (like a worker's
//     instance), so its exports can stand in for the portable ones of the same name (kernel-variant.ts).
import { relaxedSimdHost } from '#relaxed-simd';
import { type RelaxedBytes } from './relaxed-simd.js';
import { embeddedBytes } from './embedded.js';
import { wasmBase64 } from './wasm-bytes.generated.js';
import { memoryFor, withSharedFlag } from './memory-import.js';

/** The exports every binding relies on: linear memory and the allocator (assembly/index.ts). */
export interface CoreExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
}

/** A compiled module and this thread's instance of it. */
export interface KernelModule {
  readonly module: WebAssembly.Module;
  readonly exports: WebAssembly.Exports;
}

/** The compiled modules and their memory: what a worker thread needs for instances of its own. */
export interface LoadedModule {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is shared (worker threads need it). */
  readonly shared: boolean;
  /** This thread's instance of the portable module: the only one that allocates or frees. */
  readonly exports: CoreExports;
  /** The relaxed-SIMD kernels over the same memory, once loaded, if this engine runs them. */
  relaxed: KernelModule | undefined;
  /** Why `relaxed` is undefined. */
  relaxedUnavailable: string | undefined;
}

/** Why a browser's synchronously started backend has no relaxed kernels yet. */
const NOT_LOADED = 'not loaded: in browsers the relaxed-SIMD kernels are loaded by `await sn.ready()` (or setNumThreads)';

let loaded: LoadedModule | undefined;

/**
 * The portable module's exports, instantiated synchronously on first use, typed as `T` (the caller's
 * view of the exports it wraps). Node and workers allow a synchronous compile of any size; a
 * browser's main thread may refuse a large one, which awaiting `loadWasm()` first avoids.
 */
export function wasm<T = CoreExports>(): CoreExports & T {
  return loadedModule().exports as CoreExports & T;
}

/**
 * The modules, their memory and this thread's instances (instantiated synchronously on first use,
 * with the relaxed kernels when they can be had synchronously: in Node, not in browsers).
 */
export function loadedModule(): LoadedModule {
  if (!loaded) {
    const { bytes, memory, shared } = memoryFor(embeddedBytes(wasmBase64));
    const module = new WebAssembly.Module(bytes);
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as CoreExports;
    loaded = { module, memory, shared, exports, relaxed: undefined, relaxedUnavailable: NOT_LOADED };
    const relaxed = relaxedSimdHost.loadSync();
    if (relaxed) attach(loaded, relaxed);
  }
  return loaded;
}

/** Instantiates the modules asynchronously (the path browsers prefer); later calls resolve at once. */
export async function loadWasm(): Promise<LoadedModule> {
  if (!loaded) {
    const { bytes, memory, shared } = memoryFor(embeddedBytes(wasmBase64));
    const module = await WebAssembly.compile(bytes);
    const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
    const relaxed = await relaxedSimdHost.load();
    if (!loaded) {
      loaded = { module, memory, shared, exports: exports as unknown as CoreExports, relaxed: undefined, relaxedUnavailable: NOT_LOADED };
      attach(loaded, relaxed);
    }
  }
  return loaded;
}

/**
 * Loads the relaxed-SIMD kernels if the backend started without them (a browser's synchronous
 * start): `sn.ready()` and `setNumThreads` call it, so the kernels change only where the program asks.
 */
export async function loadRelaxedKernels(): Promise<LoadedModule> {
  const current = await loadWasm();
  if (current.relaxedUnavailable === NOT_LOADED) {
    const relaxed = await relaxedSimdHost.load();
    if (current.relaxedUnavailable === NOT_LOADED) attach(current, relaxed);
  }
  return current;
}

/**
 * Compiles the relaxed kernels (synchronously: the module is small enough for a browser's main
 * thread) and instantiates them over `into`'s memory, or records why they cannot run.
 */
function attach(into: LoadedModule, relaxed: RelaxedBytes): void {
  if ('unavailable' in relaxed) {
    into.relaxedUnavailable = relaxed.unavailable;
    return;
  }
  try {
    const module = new WebAssembly.Module(withSharedFlag(relaxed.bytes, into.shared));
    into.relaxed = { module, exports: new WebAssembly.Instance(module, { env: { memory: into.memory } }).exports };
    into.relaxedUnavailable = undefined;
  } catch (error) {
    into.relaxedUnavailable = `the relaxed-SIMD module did not instantiate (${(error as Error).message})`;
  }
}

import type { Backend, BackendName } from './backend.js';
import { tsBackend } from './ts/index.js';
import { wasmBackend } from './wasm/index.js';
import { SimdnnError } from '../errors.js';
import { numThreads, ready as readyWasm, setNumThreads as setWasmThreads } from './wasm/threads.js';
import { deterministicKernels, kernelVariant, setDeterministicKernels, type KernelVariant } from './wasm/kernel-variant.js';

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
 * Prepares the wasm backend asynchronously: compiles the module, loads the relaxed-SIMD kernels where
 * the engine runs them and starts its worker threads. Node and Web Workers work without it (the
 * module is then compiled synchronously on first use, and the threads join as soon as they are up);
 * on a browser's main thread, await it once before other calls. In browsers the relaxed-SIMD kernels
 * come in a chunk of their own that only `ready()` (or `setNumThreads`) loads: a backend started
 * without it runs the portable kernels until then.
 */
export async function ready(): Promise<void> {
  await readyWasm();
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

/**
 * `true` pins the wasm backend to its portable SIMD128 kernels, which give identical bits in every
 * engine on every machine; `false` (the default) lets it use the fastest kernels the engine runs
 * (relaxed SIMD with fused multiply-add where available), whose bits match only between engines that
 * both fuse. Takes effect from the next operation; results stay bit-identical for every thread count
 * either way. PyTorch's `torch.use_deterministic_algorithms`.
 */
export function useDeterministicAlgorithms(mode: boolean): void {
  if (typeof mode !== 'boolean') throw new SimdnnError(`useDeterministicAlgorithms: expected true or false, got ${String(mode)}`);
  setDeterministicKernels(mode);
}

/** Whether `useDeterministicAlgorithms(true)` is in effect. */
export function areDeterministicAlgorithmsEnabled(): boolean {
  return deterministicKernels();
}

/** Which kernels the wasm backend runs, for bug reports and benchmarks (see `kernelInfo()`). */
export interface KernelInfo extends KernelVariant {
  /** The wasm backend's thread count. */
  threads: number;
}

/**
 * Which kernels the wasm backend runs now: `variant` is `'relaxed-simd'` (fused multiply-add where
 * the hardware has it: `fusedMultiplyAdd` says whether it does) or `'simd128'` (portable, the same
 * bits in every engine); `relaxedSimdUnavailable` says why the relaxed kernels are not loaded, when
 * they are not. Loads the backend if it is not loaded yet.
 */
export function kernelInfo(): KernelInfo {
  return { ...kernelVariant(), threads: numThreads() };
}

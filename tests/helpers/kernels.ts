// Direct calls of the wasm module's kernel exports, for tests of a kernel's own contract (ranges,
// workspaces) below the bindings that split calls across threads.
import { loadedModule } from '../../bindings/instance.js';
import { activeKernelSet, RELAXED_KERNELS } from '../../bindings/kernel-variant.js';
import { allocFloats } from '../../bindings/memory.js';

type Exports = Record<string, (...args: number[]) => number>;

/**
 * The kernel export `name` that the backend's calls run now: the relaxed-SIMD module's when it has
 * one and the relaxed kernels are in use, otherwise the portable module's.
 */
export function kernel(name: string): (...args: number[]) => number {
  const { exports, relaxed } = loadedModule();
  const portable = exports as unknown as Exports;
  return activeKernelSet() === RELAXED_KERNELS ? (relaxed!.exports as Exports)[name] ?? portable[name] : portable[name];
}

/** A zeroed scratch buffer of at least `bytes` in wasm memory (never freed; tests are short). */
export function workspace(bytes: number): number {
  return allocFloats(Math.ceil(bytes / 4));
}

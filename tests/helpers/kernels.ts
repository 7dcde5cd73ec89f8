// Direct calls of the wasm module's kernel exports, for tests of a kernel's own contract (ranges,
// workspaces) below the bindings that split calls across threads.
import { wasm } from '../../bindings/instance.js';
import { allocFloats } from '../../bindings/memory.js';

/** The kernel export `name` of the wasm module. */
export function kernel(name: string): (...args: number[]) => number {
  return (wasm() as unknown as Record<string, (...args: number[]) => number>)[name];
}

/** A zeroed scratch buffer of at least `bytes` in wasm memory (never freed; tests are short). */
export function workspace(bytes: number): number {
  return allocFloats(Math.ceil(bytes / 4));
}

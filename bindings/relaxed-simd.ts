// What the loader needs of the platform to get the relaxed-SIMD kernels (assembly/relaxed.ts);
// relaxed-simd.node.ts and relaxed-simd.browser.ts implement it, and package.json's "imports" picks
// one under the name '#relaxed-simd' (the node condition or not), like '#thread-host'.

/** The relaxed module's bytes where this engine validates them, or why not. */
export type RelaxedBytes = { bytes: Uint8Array<ArrayBuffer> } | { unavailable: string };

export interface RelaxedSimdHost {
  /**
   * The bytes if they can be had synchronously (Node: embedded in the bundle; browsers: only once
   * `load()` has brought them), or undefined when they must be loaded first.
   */
  loadSync(): RelaxedBytes | undefined;
  /** The bytes, loaded if need be (browsers: a separate chunk, so the default bundle stays small). */
  load(): Promise<RelaxedBytes>;
}

/** The bytes if this engine validates them (relaxed SIMD, shared memory), otherwise why not. */
export function validated(bytes: Uint8Array<ArrayBuffer>): RelaxedBytes {
  return WebAssembly.validate(bytes) ? { bytes } : { unavailable: 'this engine does not validate relaxed-SIMD wasm' };
}

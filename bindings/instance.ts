// Instantiates the simdnn wasm module from bytes embedded at build time (no path, no fetch).
import { instantiate, instantiateSync } from '@assemblyscript/loader';
import { wasmBase64 } from './wasm-bytes.generated.js';

/** The raw exports of assembly/index.ts. Pointers are byte offsets into `memory`. */
export interface SimdnnExports {
  readonly memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  gemm(
    c: number, a: number, b: number, bias: number,
    m: number, n: number, k: number,
    lda: number, ldb: number, ldc: number,
    flags: number, rowStart: number, rowEnd: number,
    work: number,
  ): void;
  gemmWorkspaceBytes(): number;
  readonly GEMM_TRANS_A: WebAssembly.Global;
  readonly GEMM_TRANS_B: WebAssembly.Global;
  readonly GEMM_ACCUMULATE: WebAssembly.Global;
  readonly GEMM_BIAS_ROW: WebAssembly.Global;
  readonly GEMM_BIAS_COL: WebAssembly.Global;
  readonly GEMM_RELU: WebAssembly.Global;
  simdPeak(iterations: number, m: number): number;
  readonly SIMD_PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
  fillNormalFromBits(ptr: number, n: number): void;
}

let instance: SimdnnExports | undefined;

function wasmBytes(): Uint8Array {
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The module's exports, instantiated synchronously on first use. Node and workers allow this for any
 * size; a browser's main thread may refuse a large synchronous compile, which `loadWasm()` avoids.
 */
export function wasm(): SimdnnExports {
  instance ??= instantiateSync<Record<string, unknown>>(wasmBytes()).exports as unknown as SimdnnExports;
  return instance;
}

/** Instantiates the module asynchronously (the path browsers prefer); later calls resolve at once. */
export async function loadWasm(): Promise<SimdnnExports> {
  if (!instance) {
    const { exports } = await instantiate<Record<string, unknown>>(wasmBytes());
    instance ??= exports as unknown as SimdnnExports;
  }
  return instance;
}

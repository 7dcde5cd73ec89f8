// The Backend interface: the few primitive operations everything above is composed from.
// Two implementations with identical semantics: `wasm` (SIMD kernels) and `ts` (pure TypeScript,
// the benchmark baseline and the correctness oracle).
import type { Blas1Ops } from './blas1-ops.js';
import type { ElementwiseOps } from './elementwise-ops.js';
import type { ReduceOps } from './reduce-ops.js';
import type { SoftmaxOps } from './softmax-ops.js';
import type { ConvOps } from './conv-ops.js';
import type { OptimOps } from './optim-ops.js';
import type { PoolOps } from './pool-ops.js';
import type { LossOps } from './loss-ops.js';
import type { DropoutOps } from './dropout-ops.js';
import type { BatchNormOps } from './batchnorm-ops.js';
import type { AugmentOps } from './augment-ops.js';
import type { StridedOps } from './strided-ops.js';
import type { AdaptivePoolOps } from './adaptive-pool-ops.js';
import type { ResizeOps } from './resize-ops.js';

/** Names of the available backends. */
export type BackendName = 'wasm' | 'ts';

/** A backend's handle to a dense f32 buffer of `length` values. Opaque above the backend. */
export interface Storage {
  readonly length: number;
}

/** A matrix product C = op(A)·op(B) over dense row-major storage, with a fused epilogue. */
export interface GemmArgs {
  /** C, [m, n]. */
  c: Storage;
  /** A, [m, k], or [k, m] when transA. */
  a: Storage;
  /** B, [k, n], or [n, k] when transB. */
  b: Storage;
  m: number;
  n: number;
  k: number;
  /** Offsets, in floats, of the first element of A, B and C inside their storage (default 0). */
  offsetA?: number;
  offsetB?: number;
  offsetC?: number;
  transA?: boolean;
  transB?: boolean;
  /** Add the product to C's current values instead of overwriting them. */
  accumulate?: boolean;
  /** Bias added after the product: `row` adds bias[i] to row i (length m), `col` adds bias[j] (length n). */
  bias?: { values: Storage; axis: 'row' | 'col' };
  /** Apply max(x, 0) last (NaN stays NaN). */
  relu?: boolean;
}

/**
 * Everything a backend implements. Each area of primitives declares its own interface in
 * `src/backend/<area>-ops.ts` (implemented in `ts/<area>.ts` and `wasm/<area>.ts`) and is listed here.
 */
export interface Backend extends StorageOps, GemmOps, Blas1Ops, OptimOps, ConvOps, ElementwiseOps, ReduceOps, SoftmaxOps, LossOps, DropoutOps, BatchNormOps, PoolOps, StridedOps, AugmentOps, AdaptivePoolOps, ResizeOps {}

/** Buffers: allocation, transfer, random fill. */
export interface StorageOps {
  readonly name: BackendName;
  /** A new zero-filled buffer of `length` floats. */
  alloc(length: number): Storage;
  /**
   * A new buffer of `length` floats whose contents are unspecified, for the output of a primitive
   * that overwrites every element (zero-filling large activations cost ~10 % of a training step).
   */
  empty(length: number): Storage;
  /** A new buffer holding `values` rounded to f32. */
  fromValues(values: ArrayLike<number>): Storage;
  /** A copy of the buffer's contents. */
  read(storage: Storage): Float32Array;
  /**
   * Moves the contents out of backend memory into host memory managed by the JS garbage collector;
   * the buffer stays valid and returns to backend memory on its next use. A no-op where they coincide.
   */
  evict(storage: Storage): void;
  /** Overwrites `values.length` floats of the buffer from element `offset` (default 0) on, in place. */
  write(storage: Storage, values: Float32Array, offset?: number): void;
  /** A new buffer with the same contents (copied inside the backend). */
  clone(storage: Storage): Storage;
  /** Releases the buffer now; using it afterwards is an error. */
  free(storage: Storage): void;
  /** Fills the buffer with standard normal values made from `bits` (one u32 per value). */
  fillNormal(storage: Storage, bits: Uint32Array): void;
}

export interface GemmOps {
  gemm(args: GemmArgs): void;
}

import type { Storage } from './backend.js';

/** Softmax over dimension n of an [outer, n, inner] view (see ReduceOps); `log` selects log-softmax. */
export interface SoftmaxOps {
  /** y = softmax(x) or log-softmax(x) along n, numerically stable (max subtracted first). */
  softmax(y: Storage, x: Storage, outer: number, n: number, inner: number, log: boolean): void;
  /** gx from gy and the forward output y: y·(gy − Σ gy·y), or gy − exp(y)·Σ gy for log-softmax. */
  softmaxBackward(gx: Storage, gy: Storage, y: Storage, outer: number, n: number, inner: number, log: boolean): void;
}

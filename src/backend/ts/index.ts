import type { Backend, Storage } from '../backend.js';
import { gemm } from './gemm.js';
import { TsStorage, tsData } from './storage.js';

/** The pure-TypeScript backend: the benchmark baseline and the correctness oracle. */
export const tsBackend: Backend = {
  name: 'ts',
  alloc: (length: number): Storage => new TsStorage(new Float32Array(length)),
  fromValues: (values: ArrayLike<number>): Storage => new TsStorage(Float32Array.from(values)),
  read: (storage: Storage): Float32Array => tsData(storage).slice(),
  free(storage: Storage): void {
    // Drop the reference so use-after-free shows up as an empty buffer, not stale data.
    (storage as TsStorage).data = new Float32Array(0);
  },
  fillNormal(storage: Storage, bits: Uint32Array): void {
    const out = tsData(storage);
    for (let i = 0; i < out.length; i += 2) {
      // Box–Muller on the same bits the wasm backend uses; u1 in (0, 1] keeps log finite.
      const u1 = (bits[i] + 1) / 4294967296;
      const u2 = i + 1 < out.length ? bits[i + 1] / 4294967296 : 0;
      const r = Math.sqrt(-2 * Math.log(u1));
      out[i] = r * Math.cos(2 * Math.PI * u2);
      if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
    }
  },
  gemm,
};

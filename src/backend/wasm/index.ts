import type { Backend, GemmArgs, Storage } from '../backend.js';
import { f32View, u32View } from '../../../bindings/memory.js';
import * as kernels from '../../../bindings/kernels.js';
import { WasmStorage, ptr, wasmStorage } from './storage.js';

/** The WebAssembly SIMD backend (the default). */
export const wasmBackend: Backend = {
  name: 'wasm',
  alloc: (length: number): Storage => new WasmStorage(length),
  fromValues(values: ArrayLike<number>): Storage {
    const storage = new WasmStorage(values.length);
    f32View(storage.ptr, values.length).set(values);
    return storage;
  },
  read(storage: Storage): Float32Array {
    const s = wasmStorage(storage);
    return f32View(s.ptr, s.length).slice();
  },
  free: (storage: Storage): void => wasmStorage(storage).free(),
  fillNormal(storage: Storage, bits: Uint32Array): void {
    const s = wasmStorage(storage);
    u32View(s.ptr, s.length).set(bits.subarray(0, s.length));
    kernels.fillNormalFromBits(s.ptr, s.length);
  },
  gemm(args: GemmArgs): void {
    const { c, a, b, m, n, k, transA = false, transB = false, accumulate = false, bias, relu = false } = args;
    kernels.gemm({
      c: ptr(c) + 4 * (args.offsetC ?? 0),
      a: ptr(a) + 4 * (args.offsetA ?? 0),
      b: ptr(b) + 4 * (args.offsetB ?? 0),
      bias: bias ? ptr(bias.values) : 0,
      m, n, k, transA, transB, accumulate, biasAxis: bias?.axis ?? 'none', relu,
    });
  },
};

import type { Storage, StorageOps } from '../backend.js';
import { allocFloats, allocUninitializedFloats, f32View, freeFloats, u32View } from '../../../bindings/memory.js';
import { fillNormalFromBits } from '../../../bindings/random.js';

// Buffers whose handle was garbage-collected without free() are released here, so a training
// loop never needs dispose(): the wasm heap follows the JS objects that use it.
const released = new FinalizationRegistry<number>(freeFloats);

/**
 * wasm-backend storage: `length` floats at byte address `ptr` in wasm linear memory. It may be
 * evicted to host memory (a Float32Array the JS garbage collector manages); the next use of `ptr`
 * brings it back into wasm memory.
 */
export class WasmStorage implements Storage {
  #ptr: number;
  #host: Float32Array | undefined;
  #freed = false;
  /** `length` floats, zero-filled unless `zeroed` is false (contents unspecified: outputs written whole). */
  constructor(public readonly length: number, zeroed = true) {
    this.#ptr = zeroed ? allocFloats(length) : allocUninitializedFloats(length);
    released.register(this, this.#ptr, this);
  }
  /** The byte address; throws once the buffer was freed. */
  get ptr(): number {
    if (this.#freed) throw new Error('simdnn: tensor storage used after dispose()');
    if (this.#host) {
      this.#ptr = allocUninitializedFloats(this.length);
      f32View(this.#ptr, this.length).set(this.#host);
      this.#host = undefined;
      released.register(this, this.#ptr, this);
    }
    return this.#ptr;
  }
  /** A copy of the values, read from wasm or host memory without moving them. */
  read(): Float32Array {
    if (this.#freed) throw new Error('simdnn: tensor storage used after dispose()');
    return this.#host ? this.#host.slice() : f32View(this.#ptr, this.length).slice();
  }
  /** Moves the values out of wasm memory into host memory (until the next use of `ptr`). */
  evict(): void {
    if (this.#freed || this.#host) return;
    this.#host = f32View(this.#ptr, this.length).slice();
    this.#release();
  }
  free(): void {
    if (this.#freed) return;
    if (!this.#host) this.#release();
    this.#host = undefined;
    this.#freed = true;
  }
  #release(): void {
    released.unregister(this);
    freeFloats(this.#ptr);
    this.#ptr = 0;
  }
}

/** The wasm storage behind a handle, checking that it belongs to the wasm backend. */
export function wasmStorage(storage: Storage): WasmStorage {
  if (!(storage instanceof WasmStorage)) throw new TypeError('simdnn: storage does not belong to the wasm backend');
  return storage;
}

/** Byte address of a storage handle. */
export function ptr(storage: Storage): number {
  return wasmStorage(storage).ptr;
}

export const wasmStorageOps: StorageOps = {
  name: 'wasm',
  alloc: (length) => new WasmStorage(length),
  empty: (length) => new WasmStorage(length, false),
  fromValues(values) {
    const storage = new WasmStorage(values.length, false);
    f32View(storage.ptr, values.length).set(values);
    return storage;
  },
  read: (storage) => wasmStorage(storage).read(),
  evict: (storage) => wasmStorage(storage).evict(),
  write(storage, values, offset = 0) {
    const s = wasmStorage(storage);
    f32View(s.ptr, s.length).set(values, offset);
  },
  clone(storage) {
    const s = wasmStorage(storage);
    const copy = new WasmStorage(s.length, false); // every element is overwritten next
    f32View(copy.ptr, s.length).set(f32View(s.ptr, s.length)); // views made after the allocation
    return copy;
  },
  free: (storage) => wasmStorage(storage).free(),
  fillNormal(storage, bits) {
    const s = wasmStorage(storage);
    u32View(s.ptr, s.length).set(bits.subarray(0, s.length));
    fillNormalFromBits(s.ptr, s.length);
  },
};

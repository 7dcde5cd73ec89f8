import type { Storage, StorageOps } from '../backend.js';

/** ts-backend storage: a plain Float32Array. */
export class TsStorage implements Storage {
  constructor(public data: Float32Array) {}
  get length(): number {
    return this.data.length;
  }
}

/** The Float32Array behind a storage handle, checking that it belongs to the ts backend. */
export function tsData(storage: Storage): Float32Array {
  if (!(storage instanceof TsStorage)) throw new TypeError('simdnn: storage does not belong to the ts backend');
  return storage.data;
}

export const tsStorageOps: StorageOps = {
  name: 'ts',
  alloc: (length) => new TsStorage(new Float32Array(length)),
  empty: (length) => new TsStorage(new Float32Array(length)),
  fromValues: (values) => new TsStorage(Float32Array.from(values)),
  read: (storage) => tsData(storage).slice(),
  evict: () => {}, // already in host memory
  write: (storage, values, offset = 0) => tsData(storage).set(values, offset),
  clone: (storage) => new TsStorage(tsData(storage).slice()),
  free(storage) {
    // Drop the buffer so a use after free sees an empty array, not stale data.
    (storage as TsStorage).data = new Float32Array(0);
  },
  fillNormal(storage, bits) {
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
};

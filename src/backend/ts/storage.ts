import type { Storage } from '../backend.js';

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

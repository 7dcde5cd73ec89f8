// safetensors bytes kept in the browser's IndexedDB, for 'indexeddb://name': one database
// ("simdnn"), one object store ("safetensors") of Uint8Arrays keyed by name. The raw API, one
// short-lived connection per call.
import { SimdnnError } from '../errors.js';

const DATABASE = 'simdnn';
const STORE = 'safetensors';

/** Stores `bytes` under `key`, replacing what was there; resolves once the write is committed. */
export async function writeIndexedDb(op: string, key: string, bytes: Uint8Array): Promise<void> {
  await withStore(op, key, 'readwrite', (store) => store.put(bytes, key));
}

/** The bytes stored under `key`, or undefined when there are none. */
export async function readIndexedDb(op: string, key: string): Promise<Uint8Array | undefined> {
  return withStore(op, key, 'readonly', (store) => store.get(key) as IDBRequest<Uint8Array | undefined>);
}

/** Runs one request in a transaction on the store and resolves with its result once the transaction completes. */
async function withStore<T>(op: string, key: string, mode: IDBTransactionMode, request: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const where = `'indexeddb://${key}'`;
  if (typeof indexedDB === 'undefined') {
    throw new SimdnnError(`${op}: ${where} needs IndexedDB, which this environment lacks (browsers and their workers have it; in Node use a file path)`);
  }
  let db: IDBDatabase;
  try {
    db = await settle(openDatabase());
  } catch (error) {
    throw new SimdnnError(`${op}: cannot open IndexedDB for ${where}: ${describe(error)}`, { cause: error });
  }
  try {
    const transaction = db.transaction(STORE, mode);
    const pending = request(transaction.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('the transaction was aborted'));
    });
    return pending.result;
  } catch (error) {
    throw new SimdnnError(`${op}: IndexedDB failed on ${where}: ${describe(error)}`, { cause: error });
  } finally {
    db.close();
  }
}

function openDatabase(): IDBOpenDBRequest {
  const request = indexedDB.open(DATABASE, 1);
  request.onupgradeneeded = () => request.result.createObjectStore(STORE);
  return request;
}

function settle<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException ? error.message : String(error);
}

// sn.io.save / load / loadUrl: a state dict (a model's or an optimiser's) as safetensors bytes,
// kept where the caller names it:
//   'indexeddb://name'  the browser's IndexedDB (indexeddb.ts)
//   'downloads://name'  a download of name.safetensors (save only; downloads.ts)
//   a File or Blob      (load only), e.g. from an <input type="file">
//   a URL               (loadUrl, by fetch)
//   any other string    a file path, in Node ('#file-system')
import { fileSystem } from '#file-system';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { downloadBytes } from './downloads.js';
import { readIndexedDb, writeIndexedDb } from './indexeddb.js';
import { SafetensorsError, fromSafetensors, toSafetensors } from './safetensors.js';

/** What `save` and `load` need: PyTorch's state-dict pair, as every `nn.Module` and optimiser has it. */
export interface HasStateDict {
  stateDict(): Record<string, Tensor>;
  loadStateDict(stateDict: Record<string, Tensor>): unknown;
}

/** Options for `save`. */
export interface SaveOptions {
  /** Strings stored in the file's `__metadata__` (PyTorch writes `{ format: 'pt' }`). */
  metadata?: Record<string, string>;
}

/** A place named by a string: a scheme and the name after `scheme://`, or a file path. */
type Location = { scheme: 'indexeddb' | 'downloads'; name: string } | { scheme: 'path'; name: string };

/**
 * Writes `model.stateDict()` as safetensors to `target`:
 * - `'indexeddb://name'`: the browser's IndexedDB (pages and workers), replacing what was saved
 *   under that name;
 * - `'downloads://name'`: a download of `name.safetensors` offered by the page;
 * - a file path (Node): the bytes go to a temporary file next to it, are flushed to disk and renamed
 *   over it, so an existing file is replaced whole or not at all.
 * `model` may be an optimiser too, to keep its state for resuming training. Errors name the target.
 */
export async function save(model: Pick<HasStateDict, 'stateDict'>, target: string, options: SaveOptions = {}): Promise<void> {
  const location = parseLocation('save', target);
  const bytes = toSafetensors(model.stateDict(), options.metadata);
  switch (location.scheme) {
    case 'indexeddb':
      return writeIndexedDb('save', location.name, bytes);
    case 'downloads':
      return downloadBytes('save', location.name, bytes);
    case 'path':
      try {
        return await nodeFileSystem('save', target).replaceFile(target, bytes);
      } catch (error) {
        if (error instanceof SimdnnError) throw error;
        throw new SimdnnError(`save: cannot write '${target}': ${(error as Error).message}`, { cause: error });
      }
  }
}

/**
 * Reads safetensors from `source` and copies its tensors into `model` with `model.loadStateDict`:
 * `'indexeddb://name'` (saved by `save`), a `File` or `Blob`, or a file path (Node). Files written
 * by PyTorch's `safetensors.torch.save_file` load as they are. Errors name the source.
 */
export async function load(model: Pick<HasStateDict, 'loadStateDict'>, source: string | Blob): Promise<void> {
  if (typeof source !== 'string') return loadBytes(model, source instanceof File ? `'${source.name}'` : 'the Blob', await blobBytes(source));
  const location = parseLocation('load', source);
  switch (location.scheme) {
    case 'indexeddb': {
      const bytes = await readIndexedDb('load', location.name);
      if (bytes === undefined) throw new SimdnnError(`load: nothing is saved under '${source}'`);
      return loadBytes(model, `'${source}'`, bytes);
    }
    case 'downloads':
      throw new SimdnnError(`load: '${source}' is a place to save to; to load a downloaded file, pass the File the user picks (e.g. from an <input type="file">)`);
    case 'path': {
      let bytes: Uint8Array;
      try {
        bytes = await nodeFileSystem('load', source).readFile(source);
      } catch (error) {
        if (error instanceof SimdnnError) throw error;
        throw new SimdnnError(`load: cannot read '${source}': ${(error as Error).message}`, { cause: error });
      }
      return loadBytes(model, `'${source}'`, bytes);
    }
  }
}

/**
 * Fetches safetensors from `url` and copies its tensors into `model` with `model.loadStateDict`.
 * `init` is passed to `fetch` (headers, credentials …). A failed request, an HTTP error status or a
 * response that is not safetensors gets an error naming the URL.
 */
export async function loadUrl(model: Pick<HasStateDict, 'loadStateDict'>, url: string | URL, init?: RequestInit): Promise<void> {
  const where = `'${String(url)}'`;
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new SimdnnError(`loadUrl: cannot fetch ${where}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new SimdnnError(`loadUrl: ${where} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return loadBytes(model, where, new Uint8Array(await response.arrayBuffer()));
}

/** `model.loadStateDict` of the safetensors `bytes` read from `where`. */
function loadBytes(model: Pick<HasStateDict, 'loadStateDict'>, where: string, bytes: Uint8Array): void {
  let stateDict: Record<string, Tensor>;
  try {
    stateDict = fromSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    throw new SafetensorsError(`load: ${where} is not a valid safetensors file: ${error.message}`, { cause: error });
  }
  model.loadStateDict(stateDict);
}

async function blobBytes(blob: Blob): Promise<Uint8Array> {
  if (!(blob instanceof Blob)) throw new SimdnnError(`load: expected a string (a path or 'indexeddb://name'), a File or a Blob, got ${String(blob)}`);
  return new Uint8Array(await blob.arrayBuffer());
}

function parseLocation(op: string, where: string): Location {
  if (typeof where !== 'string') throw new SimdnnError(`${op}: expected a string (a path, 'indexeddb://name' or 'downloads://name'), got ${String(where)}`);
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(where);
  if (!match) return { scheme: 'path', name: where };
  const [, scheme, name] = match;
  if (scheme !== 'indexeddb' && scheme !== 'downloads') {
    throw new SimdnnError(`${op}: '${where}' has the scheme '${scheme}://', which ${op} does not know: use 'indexeddb://name', 'downloads://name' (save) or a file path (Node)${op === 'load' ? ', or loadUrl for a URL' : ''}`);
  }
  if (name === '') throw new SimdnnError(`${op}: '${where}' needs a name after '${scheme}://'`);
  return { scheme, name };
}

function nodeFileSystem(op: string, path: string) {
  if (fileSystem === undefined) {
    throw new SimdnnError(`${op}: '${path}' is a file path, which needs Node's file system; here use 'indexeddb://name'${op === 'save' ? " or 'downloads://name'" : ', a File or Blob, or loadUrl'}`);
  }
  return fileSystem;
}

// Saving and loading model weights as safetensors files in Node. node:fs is imported dynamically
// inside the (async) functions, so browser bundles of simdnn never pull it in.
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { SafetensorsError, fromSafetensors, toSafetensors } from './safetensors.js';

/** What `save` and `load` need of a model: PyTorch's state-dict pair, as every `nn.Module` has it. */
export interface HasStateDict {
  stateDict(): Record<string, Tensor>;
  loadStateDict(stateDict: Record<string, Tensor>): void;
}

/** Options for `save`. */
export interface SaveOptions {
  /** Strings stored in the file's `__metadata__` (PyTorch writes `{ format: 'pt' }`). */
  metadata?: Record<string, string>;
}

let saveCount = 0;

/**
 * Writes `model.stateDict()` to `path` as safetensors (Node only). The bytes go to a temporary file
 * next to `path`, are flushed to disk and then renamed over `path`, so an existing file is replaced
 * whole or not at all: a failure or crash mid-save leaves the previous file intact.
 */
export async function save(model: Pick<HasStateDict, 'stateDict'>, path: string, options: SaveOptions = {}): Promise<void> {
  const bytes = toSafetensors(model.stateDict(), options.metadata);
  const fs = await nodeFs('save');
  const temporary = `${path}.${process.pid}.${++saveCount}.tmp`;
  try {
    const file = await fs.open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw new SimdnnError(`save: cannot write '${path}': ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Reads the safetensors file at `path` (Node only) and copies its tensors into the model with
 * `model.loadStateDict`. Files written by PyTorch's `safetensors.torch.save_file` load as they are.
 * A file that cannot be read or parsed gets an error naming the path.
 */
export async function load(model: Pick<HasStateDict, 'loadStateDict'>, path: string): Promise<void> {
  const fs = await nodeFs('load');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new SimdnnError(`load: cannot read '${path}': ${(error as Error).message}`, { cause: error });
  }
  let stateDict: Record<string, Tensor>;
  try {
    stateDict = fromSafetensors(bytes);
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    throw new SafetensorsError(`load: '${path}' is not a valid safetensors file: ${error.message}`, { cause: error });
  }
  model.loadStateDict(stateDict);
}

async function nodeFs(op: string): Promise<typeof import('node:fs/promises')> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new SimdnnError(`${op}: needs Node's file system; elsewhere use toSafetensors/fromSafetensors on bytes`);
  }
  return import('node:fs/promises');
}

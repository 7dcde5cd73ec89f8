import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as sn from '../src/index.js';
import { SafetensorsError, load, save, toSafetensors } from '../src/io/index.js';
import fixture from './fixtures/safetensors.json';
import { fromBase64 } from './helpers/safetensors.js';
import { Weights } from './helpers/weights.js';

// A disk that fills up: while `disk.bytesLeft` is set, FileHandle.writeFile writes that many bytes
// of what it is given and then fails with ENOSPC, as a real write to a full disk does.
const disk = vi.hoisted(() => ({ bytesLeft: undefined as number | undefined }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof fs.open = async (...args) => {
    const handle = await fs.open(...args);
    const bytesLeft = disk.bytesLeft;
    if (bytesLeft === undefined) return handle;
    handle.writeFile = async (data) => {
      await handle.write((data as Uint8Array).subarray(0, bytesLeft));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    return handle;
  };
  return { ...fs, open };
});

const weights = (scale: number) => new Weights({
  'fc.weight': sn.tensor([1, 2, 3, 4, 5, 6].map((v) => v * scale), [2, 3]),
  'fc.bias': sn.tensor([scale, -scale]),
  steps: sn.tensor(scale),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'simdnn-save-'));
});
afterEach(async () => {
  disk.bytesLeft = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('save and load in Node', () => {
  it('round-trips a model through a file, leaving only that file behind', async () => {
    const path = join(dir, 'model.safetensors');
    const saved = weights(1);
    await save(saved, path, { metadata: { format: 'pt' } });
    expect(await readdir(dir)).toEqual(['model.safetensors']);
    expect(new Uint8Array(await readFile(path))).toEqual(toSafetensors(saved.stateDict(), { format: 'pt' }));
    const loaded = new Weights({});
    await load(loaded, path);
    for (const [name, t] of Object.entries(saved.tensors)) {
      expect(loaded.tensors[name].shape).toEqual(t.shape);
      expect(loaded.tensors[name].toFloat32Array()).toEqual(t.toFloat32Array());
    }
  });

  it('replaces an existing file when saving again', async () => {
    const path = join(dir, 'model.safetensors');
    await save(weights(1), path);
    await save(weights(2), path);
    const loaded = new Weights({});
    await load(loaded, path);
    expect(loaded.tensors['fc.bias'].toArray()).toEqual([2, -2]);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('loads a file PyTorch wrote, converting every dtype to f32', async () => {
    const path = join(dir, 'pytorch.safetensors');
    await writeFile(path, fromBase64(fixture.mixed.base64));
    const loaded = new Weights({});
    await load(loaded, path);
    expect(loaded.tensors.num_batches_tracked.item()).toBe(3);
    expect(loaded.tensors.bool.toArray()).toEqual([[1, 0], [0, 1]]);
  });
});

describe('a failed save keeps the previous file', () => {
  it('when the disk fills up halfway through writing', async () => {
    const path = join(dir, 'model.safetensors');
    await save(weights(1), path);
    const before = await readFile(path);
    disk.bytesLeft = 40;
    const error = await save(weights(2), path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sn.SimdnnError);
    expect((error as Error).message).toBe(`save: cannot write '${path}': ENOSPC: no space left on device, write`);
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('when a tensor cannot be serialised', async () => {
    const path = join(dir, 'model.safetensors');
    await save(weights(1), path);
    const before = await readFile(path);
    const broken = weights(2);
    broken.tensors['fc.bias'].dispose();
    await expect(save(broken, path)).rejects.toThrow('used after dispose()');
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('when the directory does not exist, naming the path', async () => {
    const path = join(dir, 'missing', 'model.safetensors');
    await expect(save(weights(1), path)).rejects.toThrow(`save: cannot write '${path}': ENOENT`);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('load refuses what it cannot read', () => {
  it('names the path of a missing file', async () => {
    const path = join(dir, 'nowhere.safetensors');
    await expect(load(new Weights({}), path)).rejects.toThrow(`load: cannot read '${path}': ENOENT`);
  });

  it('names the path of a malformed file and leaves the model unchanged', async () => {
    const path = join(dir, 'bad.safetensors');
    await writeFile(path, Uint8Array.from([...toSafetensors({ w: sn.tensor([1]) }), 0, 0, 0]));
    const model = weights(1);
    const error = await load(model, path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as Error).message).toBe(`load: '${path}' is not a valid safetensors file: safetensors: 3 trailing bytes (file bytes 68..71) follow the last tensor, "w"`);
    expect(model.tensors['fc.bias'].toArray()).toEqual([1, -1]);
  });
});

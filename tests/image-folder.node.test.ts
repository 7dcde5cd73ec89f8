import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as sn from '../src/index.js';
import { encodeJpeg, encodePng, solid, writeBytes } from './helpers/images.js';

const root = mkdtempSync(join(tmpdir(), 'simdnn-image-folder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * flat/: no splits. bird: a grey PNG, an RGBA PNG with transparency and a 16-bit PNG; cat: 10 RGB
 * PNGs, a truncated PNG and a text file; dog: 10 JPEGs (one in a subfolder) and random bytes named
 * .jpg; empty: no images; .hidden: ignored.
 */
const flat = join(root, 'flat');
beforeAll(() => {
  writeBytes(join(flat, 'bird', 'grey.png'), encodePng(solid(12, 10, 200, 200, 200), { grey: true }));
  writeBytes(join(flat, 'bird', 'alpha.png'), encodePng(solid(5, 5, 10, 20, 30, 0)));
  writeBytes(join(flat, 'bird', 'deep.png'), encodePng(solid(6, 4, 1, 128, 255), { sixteenBit: true }));
  for (let i = 0; i < 10; i++) writeBytes(join(flat, 'cat', `c${i}.png`), encodePng(solid(16, 16, 255, 10 * i, 0)));
  writeBytes(join(flat, 'cat', 'truncated.png'), encodePng(solid(16, 16, 1, 2, 3)).subarray(0, 60));
  writeFileSync(join(flat, 'cat', 'notes.txt'), 'not an image');
  for (let i = 0; i < 9; i++) writeBytes(join(flat, 'dog', `d${i}.jpg`), encodeJpeg(solid(20, 12, 0, 0, 250)));
  writeBytes(join(flat, 'dog', 'more', 'd9.JPEG'), encodeJpeg(solid(20, 12, 0, 0, 250)));
  writeBytes(join(flat, 'dog', 'broken.jpg'), Uint8Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
  mkdirSync(join(flat, 'empty'));
  writeBytes(join(flat, '.hidden', 'x.png'), encodePng(solid(2, 2, 0, 0, 0)));
});

/** Loads `dir` with warnings captured; returns the result and the warnings printed. */
async function load(dir: string, options: sn.data.ImageFolderOptions): Promise<{ folder: sn.data.ImageFolder; warnings: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const folder = await sn.data.imageFolder(dir, options);
    return { folder, warnings: warn.mock.calls.map((args) => args.join(' ')) };
  } finally {
    warn.mockRestore();
  }
}

/** Image `i` of a split as its [C, H, W] values. */
const pixels = (set: sn.data.ImageFolderDataset, i: number) => {
  const [, c, h, w] = set.images.shape;
  return set.images.data.subarray(i * c * h * w, (i + 1) * c * h * w);
};

describe('imageFolder on a folder without splits', () => {
  it('finds the class folders in sorted order, keeping an empty class, ignoring hidden folders and other files', async () => {
    const { folder } = await load(flat, { size: 8 });
    expect(folder.classes).toEqual(['bird', 'cat', 'dog', 'empty']);
    expect(folder.split).toBe('holdout');
    expect(folder.train.classes).toBe(folder.classes);
    const all = [...folder.train.paths, ...folder.test.paths];
    expect(all).toHaveLength(23);
    expect(all.some((p) => p.includes('.hidden') || p.endsWith('.txt'))).toBe(false);
    expect(all).toContain(join(flat, 'dog', 'more', 'd9.JPEG'));
  });

  it('reports corrupt files by path, skips them and warns, and warns about classes without images', async () => {
    const { folder, warnings } = await load(flat, { size: 8 });
    expect(folder.skipped.map((s) => s.path).sort()).toEqual([join(flat, 'cat', 'truncated.png'), join(flat, 'dog', 'broken.jpg')]);
    expect(folder.skipped.every((s) => s.reason.length > 0)).toBe(true);
    expect(warnings.filter((w) => w.startsWith('imageFolder: skipped '))).toHaveLength(2);
    expect(warnings.some((w) => w.includes(join(flat, 'dog', 'broken.jpg')))).toBe(true);
    expect(warnings).toContain("imageFolder: no training images for class 'empty' (kept in classes)");
  });

  it("skips silently with onError: 'skip' and stops at the first bad file, naming it, with onError: 'throw'", async () => {
    const { folder, warnings } = await load(flat, { size: 8, onError: 'skip' });
    expect(folder.skipped).toHaveLength(2);
    expect(warnings).toEqual([]);
    await expect(sn.data.imageFolder(flat, { size: 8, onError: 'throw' })).rejects.toThrow(/imageFolder: cannot load .*(truncated\.png|broken\.jpg): /);
  });

  it('holds out round(10 %) of each class for testing, the same files for the same seed', async () => {
    const { folder } = await load(flat, { size: 8 });
    const perClass = (set: sn.data.ImageFolderDataset) => [0, 1, 2, 3].map((label) => set.labels.filter((l) => l === label).length);
    // 3 birds → 0 held out; 10 cats → 1; 10 dogs → 1 (counted before corrupt files are dropped).
    expect(perClass(folder.test)).toEqual([0, 1, 1, 0]);
    expect(perClass(folder.train)).toEqual([3, 9, 9, 0]);
    const again = (await load(flat, { size: 8 })).folder;
    expect(again.test.paths).toEqual(folder.test.paths);
    const others = await Promise.all([1, 2, 3, 4].map(async (seed) => (await load(flat, { size: 8, seed })).folder.test.paths.join()));
    expect(others.some((paths) => paths !== folder.test.paths.join())).toBe(true);
    const everything = (await load(flat, { size: 8, holdout: 0 })).folder;
    expect(everything.test.length).toBe(0);
    expect(everything.train.length).toBe(23);
  });

  it('decodes PNG (RGB, grey, alpha, 16-bit) and JPEG into [N, 3, H, W] values in [0, 1], resized', async () => {
    const { folder } = await load(flat, { size: [4, 6], holdout: 0 });
    const { train } = folder;
    expect(train.images.shape).toEqual([23, 3, 4, 6]);
    const at = (name: string) => pixels(train, train.paths.findIndex((p) => p.endsWith(name)));
    const channels = (values: Float32Array) => [values[0], values[24], values[48]].map((v) => Math.round(v * 255));
    expect(channels(at('grey.png'))).toEqual([200, 200, 200]);
    expect(channels(at('alpha.png'))).toEqual([10, 20, 30]); // alpha dropped, as PIL's convert('RGB')
    expect(channels(at('deep.png'))).toEqual([1, 128, 255]);
    expect(channels(at('c3.png'))).toEqual([255, 30, 0]);
    const blue = channels(at('d0.jpg'));
    expect(Math.abs(blue[2] - 250) + blue[0] + blue[1]).toBeLessThanOrEqual(6); // lossy
    expect(Array.from(at('c3.png').subarray(0, 24)).every((v) => v === 1)).toBe(true); // a solid colour stays solid
  });

  it('gives one grey channel (PIL luma) with grayscale: true', async () => {
    const { folder } = await load(flat, { size: 5, grayscale: true, holdout: 0 });
    expect(folder.train.images.shape).toEqual([23, 1, 5, 5]);
    const red = pixels(folder.train, folder.train.paths.findIndex((p) => p.endsWith('c0.png')));
    expect(Math.round(red[0] * 255)).toBe(76); // (255·19595 + 32768) >> 16
  });
});

describe('imageFolder on a folder with splits', () => {
  const split = join(root, 'split');
  beforeAll(() => {
    for (const [set, n] of [['train', 4], ['val', 2]] as const) {
      for (let i = 0; i < n; i++) {
        writeBytes(join(split, set, 'a', `${i}.png`), encodePng(solid(3, 3, 0, 0, 0)));
        writeBytes(join(split, set, 'b', `${i}.jpg`), encodeJpeg(solid(3, 3, 255, 255, 255)));
      }
    }
    writeBytes(join(split, 'val', 'c', 'only-in-val.png'), encodePng(solid(3, 3, 9, 9, 9)));
  });

  it('uses train/ and val/ (or test/) as they are, with one class list for both', async () => {
    const { folder } = await load(split, { size: 3 });
    expect(folder.split).toBe('folders');
    expect(folder.classes).toEqual(['a', 'b', 'c']);
    expect(folder.train.length).toBe(8);
    expect(folder.test.length).toBe(5);
    expect(Array.from(folder.test.labels)).toEqual([0, 0, 1, 1, 2]);
    expect(folder.test.paths.every((p) => p.includes(`${join(split, 'val')}`))).toBe(true);
  });
});

describe('imageFolder and loadImage errors', () => {
  it('name a missing folder, a folder without classes and bad options', async () => {
    await expect(sn.data.imageFolder(join(root, 'nowhere'), { size: 8 })).rejects.toThrow(`imageFolder: cannot read the folder ${join(root, 'nowhere')}: no such folder`);
    mkdirSync(join(root, 'bare'), { recursive: true });
    await expect(sn.data.imageFolder(join(root, 'bare'), { size: 8 })).rejects.toThrow(/imageFolder: .*bare has no class folders/);
    await expect(sn.data.imageFolder(flat, { size: 0 })).rejects.toThrow(/imageFolder: size must be a positive integer or \[height, width\]/);
    await expect(sn.data.imageFolder(flat, { size: 8, holdout: 1 })).rejects.toThrow('imageFolder: holdout must be a fraction in [0, 1), got 1');
  });

  it('loadImage prepares one file as imageFolder does, and names a file it cannot load', async () => {
    const image = await sn.data.loadImage(join(flat, 'cat', 'c3.png'), { size: [4, 6] });
    expect(image.shape).toEqual([1, 3, 4, 6]);
    const { folder } = await load(flat, { size: [4, 6], holdout: 0 });
    expect(image.toFloat32Array()).toEqual(pixels(folder.train, folder.train.paths.indexOf(join(flat, 'cat', 'c3.png'))));
    await expect(sn.data.loadImage(join(flat, 'dog', 'broken.jpg'), { size: 4 })).rejects.toThrow(`loadImage: cannot load ${join(flat, 'dog', 'broken.jpg')}: not a PNG or JPEG file`);
    await expect(sn.data.loadImage(join(flat, 'nope.png'), { size: 4 })).rejects.toThrow(/loadImage: cannot load .*nope\.png: ENOENT/);
  });
});

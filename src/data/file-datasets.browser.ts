// '#file-datasets' everywhere but Node: no file system, so each reader refuses and says what to use.
import { DataError } from './errors.js';
import type { FileDatasets } from './file-datasets.js';

const refuse = (message: string) => async (): Promise<never> => {
  throw new DataError(message);
};

export const fileDatasets: FileDatasets = {
  loadMnist: refuse('loadMnist: reading the MNIST files needs Node (node:fs); elsewhere, fetch the IDX files and pass their bytes to parseIdx'),
  imageFolder: refuse('imageFolder: reading an image folder needs Node (node:fs); in a browser, decode the images (e.g. sn.vision.fromImageData) and build a sn.data.TensorDataset'),
  loadImage: refuse('loadImage: reading an image file needs Node (node:fs); in a browser, use sn.vision.fromImageData'),
};

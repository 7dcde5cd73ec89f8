// '#file-datasets' in Node: the readers themselves.
import type { FileDatasets } from './file-datasets.js';
import { imageFolder, loadImage } from './image-folder.js';
import { loadMnist } from './mnist.js';

export const fileDatasets: FileDatasets = { loadMnist, imageFolder, loadImage };

// `sn.data`: data sets, their files and their batches.
export { parseIdx, type IdxArray, type IdxDtype } from './idx.js';
export { createDataset, type Dataset, type ImageArray } from './dataset.js';
export { TensorDataset, type SampleSource } from './tensor-dataset.js';
export { DataLoader, type DataLoaderOptions, type Batch } from './dataloader.js';
export { channelStats, normalize, standardize, type ChannelStats } from './normalize.js';
export { loadMnist, imageFolder, loadImage } from './file-datasets.js';
export type { MnistOptions, Mnist } from './mnist.js';
export type { ImageFolder, ImageFolderDataset, ImageFolderOptions, LoadImageOptions, SkippedImage } from './image-folder.js';
export { DataError } from './errors.js';
export * as transforms from './transforms/index.js';

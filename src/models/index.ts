// `sn.models`: preset models (MNIST-sized by default).
export { createModel, describeModel, presetNames, MNIST_SHAPE, type ModelShape, type PresetName } from './presets.js';

// `sn.models`: preset MNIST models.
export { createModel, describeModel, presetNames, type PresetName } from './presets.js';

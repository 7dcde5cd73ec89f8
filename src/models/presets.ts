// Ready-made small models, built from sn.nn: MNIST-sized by default ([N, 1, 28, 28] in, 10 scores
// out), or for any image size, channel count and number of classes.
import { SimdnnError } from '../errors.js';
import { ReLU } from '../nn/activations.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';

/** The preset names `createModel` accepts. */
export const presetNames = ['linear', 'mlp', 'lenet', 'convnet', 'default'] as const;
export type PresetName = (typeof presetNames)[number];

/** The images a preset takes (`[N, channels, height, width]`) and the scores it gives (`classes`). */
export interface ModelShape {
  channels: number;
  height: number;
  width: number;
  classes: number;
}

/** MNIST's: 1×28×28 images, 10 classes (the descriptions below are for it). */
export const MNIST_SHAPE: ModelShape = { channels: 1, height: 28, width: 28, classes: 10 };

/** The side of LeNet's last feature map for an input side x: two (5×5 valid conv, 2×2 pool) stages. */
const lenetSide = (x: number) => Math.floor((Math.floor((x - 4) / 2) - 4) / 2);

/** The side of convnet's last feature map: two 2×2 pools after same-size convolutions. */
const convnetSide = (x: number) => Math.floor(Math.floor(x / 2) / 2);

/** LeNet's convolution and pooling stages, then its flattened features. */
function lenetFeatures({ channels }: ModelShape): Module[] {
  return [new Conv2d(channels, 8, 5), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 5), new ReLU(), new MaxPool2d(2), new Flatten()];
}

const presets: Record<PresetName, { description: string; side: (x: number) => number; build: (s: ModelShape) => Sequential }> = {
  linear: {
    description: 'linear classifier: scores Wx + b (softmax in the loss)',
    side: (x) => x,
    build: (s) => new Sequential(new Flatten(), new Linear(s.channels * s.height * s.width, s.classes)),
  },
  mlp: {
    description: 'two hidden layers of 256 and 128 ReLU units',
    side: (x) => x,
    build: (s) => new Sequential(
      new Flatten(), new Linear(s.channels * s.height * s.width, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, s.classes),
    ),
  },
  lenet: {
    description: 'conv(1→8, 5×5)-relu-maxpool 2 - conv(8→16, 5×5)-relu-maxpool 2 - linear(256→10)',
    side: lenetSide,
    build: (s) => new Sequential(...lenetFeatures(s), new Linear(16 * lenetSide(s.height) * lenetSide(s.width), s.classes)),
  },
  convnet: {
    description: '(conv 3×3-relu-conv 3×3-relu-maxpool 2)×2 with 16 and 32 channels - linear(1568→10)',
    side: convnetSide,
    build: (s) => new Sequential(
      new Conv2d(s.channels, 16, 3, { padding: 1 }), new ReLU(), new Conv2d(16, 16, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
      new Conv2d(16, 32, 3, { padding: 1 }), new ReLU(), new Conv2d(32, 32, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(32 * convnetSide(s.height) * convnetSide(s.width), s.classes),
    ),
  },
  default: {
    description: 'LeNet with a hidden layer: conv(1→8, 5×5)-relu-maxpool 2 - conv(8→16, 5×5)-relu-maxpool 2 - linear(256→128)-relu-linear(128→10)',
    side: lenetSide,
    build: (s) => new Sequential(
      ...lenetFeatures(s), new Linear(16 * lenetSide(s.height) * lenetSide(s.width), 128), new ReLU(), new Linear(128, s.classes),
    ),
  },
};

/**
 * A fresh model of the named preset, initialised from the seeded generator, for images of `shape`
 * (default MNIST's: `[N, 1, 28, 28]` in, 10 scores out); the first layer and the classifier follow
 * the shape. Errors name an input too small for the preset's convolutions and pools.
 */
export function createModel(name: PresetName, shape: ModelShape = MNIST_SHAPE): Sequential {
  const preset = presets[name];
  if (!preset) throw new SimdnnError(`createModel: unknown model '${String(name)}'; choose one of ${presetNames.join(', ')}`);
  const { channels, height, width, classes } = shape;
  if (![channels, height, width, classes].every((v) => Number.isInteger(v) && v > 0)) {
    throw new SimdnnError(`createModel: shape must have positive integer channels, height, width and classes, got ${JSON.stringify(shape)}`);
  }
  if (preset.side(height) < 1 || preset.side(width) < 1) {
    throw new SimdnnError(`createModel: '${name}' needs larger images than ${height}×${width} (its convolutions and pools leave nothing)`);
  }
  return preset.build(shape);
}

/** One line describing the named preset. */
export function describeModel(name: PresetName): string {
  return presets[name].description;
}

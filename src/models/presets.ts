// Ready-made MNIST-sized models ([N, 1, 28, 28] in, 10 scores out), built from sn.nn.
import { SimdnnError } from '../errors.js';
import { ReLU } from '../nn/activations.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { Linear } from '../nn/linear.js';
import { MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';

/** The preset names `createModel` accepts. */
export const presetNames = ['linear', 'mlp', 'lenet', 'convnet', 'default'] as const;
export type PresetName = (typeof presetNames)[number];

const presets: Record<PresetName, { description: string; build: () => Sequential }> = {
  linear: {
    description: 'linear classifier: scores Wx + b (softmax in the loss)',
    build: () => new Sequential(new Flatten(), new Linear(784, 10)),
  },
  mlp: {
    description: 'two hidden layers of 256 and 128 ReLU units',
    build: () => new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)),
  },
  lenet: {
    description: 'conv(1→8, 5×5)-relu-maxpool 2 - conv(8→16, 5×5)-relu-maxpool 2 - linear(256→10)',
    build: () => new Sequential(
      new Conv2d(1, 8, 5), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 5), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(256, 10),
    ),
  },
  convnet: {
    description: '(conv 3×3-relu-conv 3×3-relu-maxpool 2)×2 with 16 and 32 channels - linear(1568→10)',
    build: () => new Sequential(
      new Conv2d(1, 16, 3, { padding: 1 }), new ReLU(), new Conv2d(16, 16, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
      new Conv2d(16, 32, 3, { padding: 1 }), new ReLU(), new Conv2d(32, 32, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(32 * 7 * 7, 10),
    ),
  },
  default: {
    description: 'LeNet with a hidden layer: conv(1→8, 5×5)-relu-maxpool 2 - conv(8→16, 5×5)-relu-maxpool 2 - linear(256→128)-relu-linear(128→10)',
    build: () => new Sequential(
      new Conv2d(1, 8, 5), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 5), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(256, 128), new ReLU(), new Linear(128, 10),
    ),
  },
};

/** A fresh model of the named preset, initialised from the seeded generator. */
export function createModel(name: PresetName): Sequential {
  const preset = presets[name];
  if (!preset) throw new SimdnnError(`createModel: unknown model '${String(name)}'; choose one of ${presetNames.join(', ')}`);
  return preset.build();
}

/** One line describing the named preset. */
export function describeModel(name: PresetName): string {
  return presets[name].description;
}

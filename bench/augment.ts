// Data for training on images: what augmentation costs next to a LeNet-sized training step on
// 32×32 RGB images (batch 64, Adam), training throughput with augmentation on and off, and image
// folder loading (decode + resize) in images/s for PNG and JPEG files. One thread, like the other
// suites' baselines.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '../src/backend/index.js';
import { rand, tensor } from '../src/creation.js';
import { TensorDataset } from '../src/data/tensor-dataset.js';
import { imageFolder } from '../src/data/image-folder.js';
import { Compose, type Transform } from '../src/data/transforms/transform.js';
import { Normalize } from '../src/data/transforms/normalize.js';
import { RandomAffine } from '../src/data/transforms/random-affine.js';
import { RandomCrop } from '../src/data/transforms/random-crop.js';
import { RandomHorizontalFlip } from '../src/data/transforms/random-horizontal-flip.js';
import { crossEntropy } from '../src/functional/losses.js';
import { createModel } from '../src/models/presets.js';
import { Adam } from '../src/optim/adam.js';
import { manualSeed } from '../src/random.js';
import { fit } from '../src/train/fit.js';
import { encodeJpeg, encodePng, writeBytes } from '../tests/helpers/images.js';
import { measure, type Timing } from './measure.js';

const BATCH = 64;
const SHAPE = { channels: 3, height: 32, width: 32, classes: 10 };
const normalize = () => new Normalize([0.5, 0.5, 0.5], [0.25, 0.25, 0.25]);

/** The augmentation pipelines measured, each ending with Normalize as torchvision recipes do. */
const pipelines: Record<string, () => Transform> = {
  'RandomCrop(32, pad 4) + RandomHorizontalFlip + Normalize': () => new Compose([new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip(), normalize()]),
  '... + RandomAffine(10°, 10 %, nearest)': () => new Compose([new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip(), new RandomAffine({ degrees: 10, translate: [0.1, 0.1] }), normalize()]),
  '... + RandomAffine(10°, 10 %, bilinear)': () => new Compose([new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip(), new RandomAffine({ degrees: 10, translate: [0.1, 0.1], interpolation: 'bilinear' }), normalize()]),
};

/** Timing of one training step (forward, backward, Adam) of LeNet on a fixed batch of 64 32×32 RGB images. */
async function trainingStep(): Promise<Timing> {
  manualSeed(0);
  const model = createModel('lenet', SHAPE);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = rand([BATCH, 3, 32, 32]);
  const targets = tensor(Array.from({ length: BATCH }, (_, i) => i % 10));
  return measure(() => {
    optimizer.zeroGrad();
    crossEntropy(model.forward(x), targets).backward();
    optimizer.step();
  }, 1000);
}

/** Training samples/s of one epoch of `fit` over 4,096 random 32×32 RGB images, with `transform` on each batch. */
function fitThroughput(transform: Transform | undefined): number {
  manualSeed(0);
  const model = createModel('lenet', SHAPE);
  const train = new TensorDataset(rand([4096, 3, 32, 32]), Array.from({ length: 4096 }, (_, i) => i % 10));
  fit(model, { train, epochs: 1, batchSize: BATCH, optimizer: new Adam(model.parameters()), transform, metrics: [] }); // warm-up
  const history = fit(model, { train, epochs: 1, batchSize: BATCH, optimizer: new Adam(model.parameters()), transform, metrics: [] });
  return history.epochs[0].samplesPerSecond;
}

/** A 96×72 picture with smooth colour ramps and noise, like a small photo (noise keeps files from compressing to nothing). */
function photo(i: number) {
  return {
    width: 96, height: 72,
    pixel: (x: number, y: number) => {
      const noise = ((x * 7919 + y * 104729 + i * 13) % 61) - 30;
      const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
      return [clamp(2.5 * x + noise), clamp(3 * y + noise), clamp(128 + i + noise), 255] as const;
    },
  };
}

/** Images/s of `imageFolder(dir, { size: 32 })` over a folder of 2 classes × `perClass` files in `format`. */
async function loadingThroughput(format: 'png' | 'jpeg', perClass: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), `simdnn-bench-${format}-`));
  try {
    for (const label of ['a', 'b']) {
      for (let i = 0; i < perClass; i++) writeBytes(join(dir, label, `${i}.${format === 'png' ? 'png' : 'jpg'}`), format === 'png' ? encodePng(photo(i)) : encodeJpeg(photo(i), 90));
    }
    await imageFolder(dir, { size: 32, holdout: 0 }); // warm-up (JIT, file cache)
    const start = performance.now();
    const { train } = await imageFolder(dir, { size: 32, holdout: 0 });
    return train.length / ((performance.now() - start) / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Rows: mean and fastest times (the fastest is what the code does when no other process takes the
 * core; on a shared machine the means move with the load), augmentation as a fraction of the step
 * by both, fit throughput with and without augmentation, and image folder loading rates.
 */
export async function benchAugment(): Promise<Record<string, string | number>[]> {
  setBackend('wasm');
  const step = await trainingStep();
  const x = rand([BATCH, 3, 32, 32]);
  const row = (what: string, t: Timing) => ({ what, mean: t.ms, fastest: t.minMs, unit: 'ms', meanVsStep: t.ms / step.ms, fastestVsStep: t.minMs / step.minMs });
  const rows: Record<string, string | number>[] = [row('LeNet training step, batch 64 of 3×32×32, Adam', step)];
  for (const [name, make] of Object.entries(pipelines)) {
    const transform = make();
    rows.push(row(`augment the batch: ${name}`, await measure(() => transform.forward(x).dispose(), 500)));
  }
  const plain = fitThroughput(undefined);
  const augmented = fitThroughput(pipelines['... + RandomAffine(10°, 10 %, bilinear)']());
  const rate = (what: string, value: number, unit: string) => ({ what, mean: value, fastest: '', unit, meanVsStep: '', fastestVsStep: '' });
  rows.push(rate('fit, LeNet on 3×32×32, no augmentation', plain, 'samples/s'));
  rows.push(rate('fit, with crop + flip + affine (bilinear) + normalize', augmented, 'samples/s'));
  for (const format of ['png', 'jpeg'] as const) {
    rows.push(rate(`imageFolder: decode ${format.toUpperCase()} 96×72 + resize to 32×32`, await loadingThroughput(format, 200), 'images/s'));
  }
  return rows;
}

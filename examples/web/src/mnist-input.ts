// The drawing as the network's input, made the way MNIST's digits were: the digit's bounding box
// scaled to fit 20×20 (sn.vision.fromPixels: antialiased resize to grey, standardised with the
// training set's statistics), then framed in 28×28 so that its centre of mass sits at the centre
// (sn.F.pad with the background's standardised value; a negative amount crops). Runs in the worker.
import * as sn from '../../../src/index.js';

/** The model's input [1, 1, 28, 28] and the 28×28 image it shows, in [0, 1]. */
export interface MnistInput {
  input: sn.Tensor;
  preview: Float32Array;
}

interface Box { left: number; top: number; width: number; height: number }

/** The drawing (white on black) as MNIST input; undefined when nothing is drawn. */
export function mnistInput(image: sn.vision.ImageDataLike, stats: sn.data.ChannelStats): MnistInput | undefined {
  const box = inkBox(image);
  if (!box) return undefined;
  const scale = 20 / Math.max(box.width, box.height);
  const [h, w] = [Math.max(1, Math.round(box.height * scale)), Math.max(1, Math.round(box.width * scale))];
  const [mean, std] = [stats.mean[0], stats.std[0]];
  const digit = sn.vision.fromPixels(crop(image, box), box.width, box.height, 4, { size: [h, w], grayscale: true, mean, std });
  const background = (0 - mean) / std;
  const [y, x] = centreOfMass(digit.toFloat32Array(), w, background);
  const [left, top] = [Math.round(13.5 - x), Math.round(13.5 - y)];
  const input = sn.F.pad(digit, [left, 28 - w - left, top, 28 - h - top], background);
  const preview = input.toFloat32Array().map((v) => v * std + mean);
  return { input, preview };
}

/** The smallest box holding every pixel with some red (the ink), or undefined. */
function inkBox({ width, height, data }: sn.vision.ImageDataLike): Box | undefined {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4] === 0) continue;
      [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
    }
  }
  return right < 0 ? undefined : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** The RGBA bytes inside the box. */
function crop({ width, data }: sn.vision.ImageDataLike, box: Box): Uint8ClampedArray {
  const out = new Uint8ClampedArray(box.width * box.height * 4);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * width + box.left) * 4;
    out.set(data.subarray(from, from + box.width * 4), y * box.width * 4);
  }
  return out;
}

/** The [row, column] centre of mass of a `w`-wide image, weighing each pixel by its value above the background. */
function centreOfMass(values: Float32Array, w: number, background: number): [number, number] {
  let [mass, sy, sx] = [0, 0, 0];
  values.forEach((v, i) => {
    const ink = v - background;
    mass += ink;
    sy += ink * Math.floor(i / w);
    sx += ink * (i % w);
  });
  return [sy / mass, sx / mass];
}

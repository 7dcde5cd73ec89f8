// Pixels to a network's input: bytes of a W×H image with 1, 3 or 4 interleaved channels become a
// [1, C, H', W'] tensor, resized with PIL's antialiased bilinear filter (src/data/resize.ts, which
// the image folders use too) and normalised per channel. Only IEEE +, −, ×, / touch the values, so
// Node and every browser give the same bits.
import { tensor } from '../creation.js';
import { imageToPlanes } from '../data/resize.js';
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';

/** Options of `fromPixels` and `fromImageData`. */
export interface ImageTensorOptions {
  /** Resize to this: one number (square) or [height, width] (default: keep the image's size). */
  size?: number | readonly [number, number];
  /** Subtracted from each channel's values in [0, 1]: one number, or one per channel (default 0). */
  mean?: number | readonly number[];
  /** Then divided into each channel's values: one number, or one per channel (default 1). */
  std?: number | readonly number[];
  /** One grey channel (luma (R·299 + G·587 + B·114) / 1000, PIL's) instead of R, G, B (default false; 1-channel input is grey anyway). */
  grayscale?: boolean;
}

/**
 * An image's pixels as a `[1, C, H, W]` tensor of values (v/255 − mean) / std, the layout and
 * scaling torchvision's ToTensor and Normalize give: `bytes` holds `height` rows of `width` pixels
 * of `channels` interleaved values (1: grey, 3: RGB, 4: RGBA, alpha dropped). C is 3, or 1 for grey
 * input or `grayscale`.
 */
export function fromPixels(bytes: ArrayLike<number>, width: number, height: number, channels: 1 | 3 | 4, options: ImageTensorOptions = {}): Tensor {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new SimdnnError(`fromPixels: ${name}=${v} must be a positive integer`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new SimdnnError(`fromPixels: channels=${String(channels)} must be 1 (grey), 3 (RGB) or 4 (RGBA)`);
  if (bytes.length !== width * height * channels) {
    throw new SimdnnError(`fromPixels: ${bytes.length} bytes given for a ${width}×${height} image of ${channels} channels, which holds ${width * height * channels}`);
  }
  const grayscale = channels === 1 || (options.grayscale ?? false);
  const c = grayscale ? 1 : 3;
  const [outH, outW] = outputSize(options.size, height, width);
  const mean = perChannel('mean', options.mean ?? 0, c);
  const std = perChannel('std', options.std ?? 1, c);
  if (std.some((s) => s === 0)) throw new SimdnnError(`fromPixels: std=${JSON.stringify(options.std)} must not hold 0`);
  const planes = imageToPlanes({ width, height, rgba: toRgba(bytes, width * height, channels) }, outH, outW, grayscale);
  const plane = outH * outW;
  for (let i = 0; i < planes.length; i++) {
    const ch = Math.floor(i / plane);
    planes[i] = (planes[i] - mean[ch]) / std[ch];
  }
  return tensor(planes, [1, c, outH, outW]);
}

/** The pixels as RGBA bytes (grey repeated in R, G and B; alpha 255 where there was none). */
function toRgba(bytes: ArrayLike<number>, pixels: number, channels: 1 | 3 | 4): Uint8Array {
  if (channels === 4) {
    const isBytes = bytes instanceof Uint8Array || bytes instanceof Uint8ClampedArray;
    return isBytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : Uint8Array.from(bytes);
  }
  const rgba = new Uint8Array(4 * pixels);
  for (let p = 0; p < pixels; p++) {
    for (let k = 0; k < 3; k++) rgba[4 * p + k] = bytes[channels * p + (channels === 1 ? 0 : k)];
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}

function outputSize(size: ImageTensorOptions['size'], height: number, width: number): [number, number] {
  if (size === undefined) return [height, width];
  const pair = typeof size === 'number' ? [size, size] : size;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v > 0)) {
    throw new SimdnnError(`fromPixels: size=${JSON.stringify(size)} must be a positive integer or a pair [height, width] of them`);
  }
  return [pair[0], pair[1]];
}

function perChannel(name: string, value: number | readonly number[], channels: number): number[] {
  const given = typeof value === 'number' ? [value] : [...value];
  const values = given.length === 1 ? new Array<number>(channels).fill(given[0]) : given;
  if (values.length !== channels || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new SimdnnError(`fromPixels: ${name}=${JSON.stringify(value)} must be a number or ${channels} of them, one per channel`);
  }
  return values;
}

// Decoded pixels to a network's input: RGB or grey planes, resized, scaled to [0, 1].
// The resize is PIL's bilinear filter with antialiasing (what torchvision's Resize does to PIL
// images): a triangle filter stretched by the reduction factor, so shrinking a photo averages over
// every source pixel instead of sampling a few. Separable: rows first, then columns. Unlike PIL, the
// values stay floats between the two passes (no rounding to bytes). Only IEEE +, −, ×, / are used,
// so every engine gives the same bits.
import type { DecodedImage } from './image-codecs.js';

/**
 * The image as `[C, outH, outW]` planes of values in [0, 1] (C = 3, RGB, or 1 when `grayscale`,
 * PIL's `convert('L')` luma (R·299 + G·587 + B·114) / 1000 in its integer form). Alpha is dropped,
 * as PIL's `convert('RGB')` does.
 */
export function imageToPlanes(image: DecodedImage, outH: number, outW: number, grayscale: boolean): Float32Array {
  const { width, height } = image;
  let planes = channelPlanes(image, grayscale);
  const channels = grayscale ? 1 : 3;
  if (outW !== width) planes = resizeRows(planes, channels * height, width, outW);
  if (outH !== height) planes = resizeColumns(planes, channels, height, outW, outH);
  for (let i = 0; i < planes.length; i++) planes[i] /= 255;
  return planes;
}

/** The pixels as C planes of byte values 0–255 (in f32), RGB or PIL's integer luma. */
function channelPlanes({ width, height, rgba }: DecodedImage, grayscale: boolean): Float32Array {
  const pixels = width * height;
  if (grayscale) {
    const out = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) {
      out[p] = (rgba[4 * p] * 19595 + rgba[4 * p + 1] * 38470 + rgba[4 * p + 2] * 7471 + 0x8000) >> 16;
    }
    return out;
  }
  const out = new Float32Array(3 * pixels);
  for (let p = 0; p < pixels; p++) {
    out[p] = rgba[4 * p];
    out[pixels + p] = rgba[4 * p + 1];
    out[2 * pixels + p] = rgba[4 * p + 2];
  }
  return out;
}

/** `lines` rows of `inW` values each ([lines, inW]) resized to `outW` values each. */
function resizeRows(values: Float32Array, lines: number, inW: number, outW: number): Float32Array {
  const { starts, counts, weights, taps } = filterWeights(inW, outW);
  const out = new Float32Array(lines * outW);
  for (let l = 0; l < lines; l++) {
    for (let i = 0; i < outW; i++) {
      let sum = 0;
      for (let k = 0; k < counts[i]; k++) sum += weights[i * taps + k] * values[l * inW + starts[i] + k];
      out[l * outW + i] = sum;
    }
  }
  return out;
}

/** `channels` planes of `inH` rows of `width` values ([C, inH, width]) resized to `outH` rows each: a weighted sum of rows. */
function resizeColumns(values: Float32Array, channels: number, inH: number, width: number, outH: number): Float32Array {
  const { starts, counts, weights, taps } = filterWeights(inH, outH);
  const out = new Float32Array(channels * outH * width);
  const row = new Float64Array(width);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < outH; i++) {
      row.fill(0);
      for (let k = 0; k < counts[i]; k++) {
        const w = weights[i * taps + k];
        const src = (c * inH + starts[i] + k) * width;
        for (let x = 0; x < width; x++) row[x] += w * values[src + x];
      }
      out.set(row, (c * outH + i) * width);
    }
  }
  return out;
}

/**
 * PIL's bilinear resampling coefficients from `inSize` to `outSize` samples: output i is centred at
 * (i + 0.5)·scale in input coordinates and takes the input samples within `support` of it, weighted
 * by the triangle 1 − |d| / filterScale and normalised to sum 1.
 */
function filterWeights(inSize: number, outSize: number): { starts: Int32Array; counts: Int32Array; weights: Float64Array; taps: number } {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the triangle's half-width, 1 before stretching
  const taps = 2 * Math.ceil(support) + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Float64Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const first = Math.max(Math.trunc(center - support + 0.5), 0);
    const last = Math.min(Math.trunc(center + support + 0.5), inSize);
    let total = 0;
    for (let j = first; j < last; j++) {
      const w = Math.max(0, 1 - Math.abs((j - center + 0.5) / filterScale));
      weights[i * taps + j - first] = w;
      total += w;
    }
    for (let k = 0; k < last - first && total > 0; k++) weights[i * taps + k] /= total;
    starts[i] = first;
    counts[i] = last - first;
  }
  return { starts, counts, weights, taps };
}

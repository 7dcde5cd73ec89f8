// Per-channel centring and standardisation of images, with statistics computed once (on the
// training set) and applied unchanged to any other set (validation, test, new inputs).
import { SimdnnError, formatShape } from '../errors.js';
import { checkImageShape, type ImageArray } from './dataset.js';

/** Per-channel statistics of a stack of images: one entry per channel C. */
export interface ChannelStats {
  /** The mean of every value of the channel over all N images and H × W positions. */
  readonly mean: readonly number[];
  /** The population standard deviation (divided by the count, not count − 1) of the same values. */
  readonly std: readonly number[];
}

/**
 * The mean and the population standard deviation of each channel of `images` `[N, C, H, W]`, over
 * N·H·W values each, summed in f64 in two passes (mean first, then squared deviations).
 * For MNIST scaled to [0, 1] this gives mean ≈ 0.1307 and std ≈ 0.3081.
 */
export function channelStats(images: ImageArray): ChannelStats {
  checkImageShape('channelStats', images);
  const [n, c, h, w] = images.shape;
  const plane = h * w;
  if (n * plane === 0) {
    throw new SimdnnError(`channelStats: images of shape ${formatShape(images.shape)} have no values to take statistics of`);
  }
  const mean: number[] = [];
  const std: number[] = [];
  for (let ch = 0; ch < c; ch++) {
    const m = channelSum(images, ch, 0, false) / (n * plane);
    mean.push(m);
    std.push(Math.sqrt(channelSum(images, ch, m, true) / (n * plane)));
  }
  return { mean, std };
}

/**
 * Centres each channel: a new image array with `x − mean[c]` at every value of channel c. Pass the
 * statistics of the training set (`channelStats(train.images)`) for every set, so all are shifted alike.
 */
export function normalize(images: ImageArray, stats: Pick<ChannelStats, 'mean'>): ImageArray {
  checkStats(images, stats.mean, 'normalize', 'mean');
  return mapChannels(images, (ch) => [stats.mean[ch], 1]);
}

/**
 * Standardises each channel: a new image array with `(x − mean[c]) / std[c]` at every value of
 * channel c (PyTorch's `transforms.Normalize(mean, std)`). With `channelStats` of the training set,
 * the training set gets mean 0 and std 1 per channel; give the same statistics to the test set.
 * A channel whose std is 0 (constant) is only centred: it is divided by 1, never by 0.
 */
export function standardize(images: ImageArray, stats: ChannelStats): ImageArray {
  checkStats(images, stats.mean, 'standardize', 'mean');
  checkStats(images, stats.std, 'standardize', 'std');
  const negative = stats.std.findIndex((s) => s < 0);
  if (negative >= 0) throw new SimdnnError(`standardize: std[${negative}] is ${stats.std[negative]}; a standard deviation cannot be negative`);
  return mapChannels(images, (ch) => [stats.mean[ch], stats.std[ch] === 0 ? 1 : stats.std[ch]]);
}

/** The sum over channel `ch` of every image of `x − shift`, or of `(x − shift)²` when `square`. */
function channelSum(images: ImageArray, ch: number, shift: number, square: boolean): number {
  const [n, c, h, w] = images.shape;
  const { data } = images;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const start = (i * c + ch) * h * w;
    for (let k = start; k < start + h * w; k++) {
      const d = data[k] - shift;
      total += square ? d * d : d;
    }
  }
  return total;
}

/** A new image array with `(x − shift) / scale` at each value, `[shift, scale]` given per channel. */
function mapChannels(images: ImageArray, channel: (ch: number) => [number, number]): ImageArray {
  const [n, c, h, w] = images.shape;
  const { data } = images;
  const out = new Float32Array(data.length);
  const scaling = Array.from({ length: c }, (_, ch) => channel(ch));
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      const [shift, scale] = scaling[ch];
      const start = (i * c + ch) * h * w;
      for (let k = start; k < start + h * w; k++) out[k] = (data[k] - shift) / scale;
    }
  }
  return { data: out, shape: images.shape };
}

/** Checks that a statistic has one finite value per channel of `images`. */
function checkStats(images: ImageArray, values: readonly number[], op: string, name: string): void {
  checkImageShape(op, images);
  const channels = images.shape[1];
  if (values.length !== channels) {
    throw new SimdnnError(`${op}: ${name} has ${values.length} values but images of shape ${formatShape(images.shape)} have ${channels} channels`);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new SimdnnError(`${op}: ${name}[${bad}] is ${values[bad]}; statistics must be finite numbers`);
}

import { describe, expect, it } from 'vitest';
import { channelStats, normalize, standardize, type ImageArray } from '../src/data/index.js';
import { randomValues } from './helpers/data.js';

/** Images [n, 3, 4, 5] whose channel c is spread around offset[c] with scale[c]. */
function images(n: number, seed: number, offset: number[], scale: number[]): ImageArray {
  const plane = 4 * 5;
  const noise = randomValues(n * 3 * plane, seed);
  const data = noise.map((v, k) => offset[Math.floor(k / plane) % 3] + scale[Math.floor(k / plane) % 3] * v);
  return { data, shape: [n, 3, 4, 5] };
}

/** The f64 mean and population std of channel `ch`, computed directly. */
function channelOf(x: ImageArray, ch: number): { mean: number; std: number } {
  const [n, c, h, w] = x.shape;
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(...x.data.subarray((i * c + ch) * h * w, (i * c + ch + 1) * h * w));
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
}

const train = images(40, 1, [0.5, -3, 100], [0.2, 4, 0.01]);
const test = images(15, 2, [0.6, -2, 100.01], [0.3, 2, 0.02]);
const stats = channelStats(train);

describe('channelStats', () => {
  it('gives the mean and the population standard deviation (divided by N, not N - 1) of each channel', () => {
    const eight = channelStats({ data: Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), shape: [2, 1, 2, 2] });
    expect(eight.mean).toEqual([4.5]);
    expect(eight.std).toEqual([Math.sqrt(42 / 8)]); // squared deviations 2 × (0.25 + 2.25 + 6.25 + 12.25); sample std would be √(42 / 7)
    const three = channelStats(train);
    for (let ch = 0; ch < 3; ch++) {
      expect(three.mean[ch]).toBeCloseTo(channelOf(train, ch).mean, 10);
      expect(three.std[ch]).toBeCloseTo(channelOf(train, ch).std, 10);
    }
  });

  it('refuses images with no values', () => {
    expect(() => channelStats({ data: new Float32Array(0), shape: [0, 1, 28, 28] }))
      .toThrow('channelStats: images of shape [0, 1, 28, 28] have no values to take statistics of');
  });
});

describe('standardize', () => {
  it('gives every channel of the training set mean 0 and std 1', () => {
    const out = standardize(train, stats);
    for (let ch = 0; ch < 3; ch++) {
      expect(Math.abs(channelOf(out, ch).mean)).toBeLessThan(1e-6);
      expect(channelOf(out, ch).std).toBeCloseTo(1, 5);
    }
  });

  it('applies the training statistics, not its own, to the test set', () => {
    const out = standardize(test, stats);
    expect(out.shape).toEqual(test.shape);
    test.data.forEach((v, k) => {
      const ch = Math.floor(k / 20) % 3;
      expect(out.data[k]).toBe(Math.fround((v - stats.mean[ch]) / stats.std[ch]));
    });
    expect(Math.abs(channelOf(out, 1).mean)).toBeGreaterThan(0.1); // the test set's channel 1 sits elsewhere
  });

  it('returns new images and leaves its input unchanged', () => {
    const before = train.data.slice();
    expect(standardize(train, stats).data).not.toBe(train.data);
    expect(train.data).toEqual(before);
  });

  it('only centres a channel whose std is 0, instead of dividing by 0', () => {
    const flat: ImageArray = { data: Float32Array.from([2, 2, 1, 3, 2, 2, 1, 3]), shape: [2, 2, 1, 2] };
    const s = channelStats(flat);
    expect(s.std).toEqual([0, 1]);
    expect(Array.from(standardize(flat, s).data)).toEqual([0, 0, -1, 1, 0, 0, -1, 1]);
  });

  it('takes statistics given by hand, such as the usual MNIST ones', () => {
    const pixels: ImageArray = { data: Float32Array.from([0, 1]), shape: [1, 1, 1, 2] };
    const out = standardize(pixels, { mean: [0.1307], std: [0.3081] });
    expect(Array.from(out.data)).toEqual([Math.fround(-0.1307 / 0.3081), Math.fround(0.8693 / 0.3081)]);
  });

  it('refuses statistics that do not fit the images, negative or not finite', () => {
    expect(() => standardize(train, { mean: [0, 0], std: [1, 1, 1] }))
      .toThrow('standardize: mean has 2 values but images of shape [40, 3, 4, 5] have 3 channels');
    expect(() => standardize(train, { mean: [0, 0, 0], std: [1, 1] }))
      .toThrow('standardize: std has 2 values but images of shape [40, 3, 4, 5] have 3 channels');
    expect(() => standardize(train, { mean: [0, 0, 0], std: [1, -1, 1] }))
      .toThrow('standardize: std[1] is -1; a standard deviation cannot be negative');
    expect(() => standardize(train, { mean: [0, NaN, 0], std: [1, 1, 1] }))
      .toThrow('standardize: mean[1] is NaN; statistics must be finite numbers');
  });
});

describe('normalize', () => {
  it('subtracts each channel mean of the training set, keeping the spread', () => {
    const out = normalize(train, stats);
    for (let ch = 0; ch < 3; ch++) {
      expect(Math.abs(channelOf(out, ch).mean)).toBeLessThan(1e-4 * stats.std[ch] + 1e-5);
      expect(channelOf(out, ch).std).toBeCloseTo(stats.std[ch], 4);
    }
  });

  it('shifts the test set by the training means', () => {
    const out = normalize(test, stats);
    test.data.forEach((v, k) => expect(out.data[k]).toBe(Math.fround(v - stats.mean[Math.floor(k / 20) % 3])));
  });

  it('refuses a mean per channel that does not fit the images', () => {
    expect(() => normalize(train, { mean: [0] })).toThrow('normalize: mean has 1 values but images of shape [40, 3, 4, 5] have 3 channels');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose, randomValues } from './helpers/data.js';

const { Compose, Normalize, RandomAffine, RandomCrop, RandomHorizontalFlip } = sn.data.transforms;

afterEach(() => sn.setBackend('wasm'));

/** A batch [n, c, h, w] whose values are 1 + their flat index (no zeros: a zero means "outside"). */
function counting(n: number, c: number, h: number, w: number): sn.Tensor {
  return sn.tensor(Float32Array.from({ length: n * c * h * w }, (_, i) => i + 1), [n, c, h, w]);
}

/** Image i of a [N, C, H, W] array as nested [c][y][x] numbers. */
function image(values: Float32Array, shape: readonly number[], i: number): number[][][] {
  const [, c, h, w] = shape;
  return Array.from({ length: c }, (_, ch) => Array.from({ length: h }, (_, y) =>
    Array.from(values.subarray(((i * c + ch) * h + y) * w, ((i * c + ch) * h + y + 1) * w))));
}

/** Image i of `x` moved by (dy, dx) into an outH × outW frame, zeros where it has no pixel: a padded crop by hand. */
function shifted(x: sn.Tensor, i: number, dy: number, dx: number, outH: number, outW: number): number[][][] {
  const [, c, h, w] = x.shape;
  const values = x.toFloat32Array();
  return Array.from({ length: c }, (_, ch) => Array.from({ length: outH }, (_, y) => Array.from({ length: outW }, (_, xx) => {
    const [sy, sx] = [y + dy, xx + dx];
    return sy >= 0 && sy < h && sx >= 0 && sx < w ? values[((i * c + ch) * h + sy) * w + sx] : 0;
  })));
}

/** The output of `transform` on `x` after `sn.manualSeed(seed)`, as a flat array. */
function run(transform: sn.data.transforms.Transform, x: sn.Tensor, seed: number): Float32Array {
  sn.manualSeed(seed);
  return transform.forward(x).toFloat32Array();
}

describe.each(['wasm', 'ts'] as const)('transforms on the %s backend', (backend) => {
  it('RandomCrop(size, { padding }) cuts every image at a window of the zero-padded image, all windows occurring', () => {
    sn.setBackend(backend);
    const x = counting(200, 2, 3, 4);
    const out = new RandomCrop([3, 4], { padding: 1 }).forward(x);
    expect(out.shape).toEqual([200, 2, 3, 4]);
    const values = out.toFloat32Array();
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const got = image(values, out.shape, i);
      const match = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx])).find(([dy, dx]) => JSON.stringify(shifted(x, i, dy, dx, 3, 4)) === JSON.stringify(got));
      expect(match, `image ${i} is no padded window`).toBeDefined();
      seen.add(String(match));
    }
    expect(seen.size).toBe(9);
  });

  it('RandomCrop to a smaller size without padding keeps the window inside the image', () => {
    sn.setBackend(backend);
    const x = counting(50, 1, 5, 5);
    const out = new RandomCrop(3).forward(x);
    expect(out.shape).toEqual([50, 1, 3, 3]);
    expect(Array.from(out.toFloat32Array()).every((v) => v > 0)).toBe(true);
    const corners = new Set(Array.from({ length: 50 }, (_, i) => out.toFloat32Array()[i * 9] - 1 - i * 25));
    expect([...corners].every((k) => Math.floor(k / 5) <= 2 && k % 5 <= 2)).toBe(true); // top-left corner at rows, columns 0-2
  });

  it('RandomCrop gives the same batch for the same seed and another for another seed', () => {
    sn.setBackend(backend);
    const x = counting(16, 3, 8, 8);
    const crop = new RandomCrop(8, { padding: 2 });
    expect(run(crop, x, 1)).toEqual(run(crop, x, 1));
    expect(run(crop, x, 2)).not.toEqual(run(crop, x, 1));
  });

  it('RandomHorizontalFlip(1) mirrors every image, (0) copies it, (0.5) flips about half', () => {
    sn.setBackend(backend);
    const x = counting(2, 2, 2, 5);
    expect(image(new RandomHorizontalFlip(1).forward(x).toFloat32Array(), x.shape, 1)).toEqual(
      [[[25, 24, 23, 22, 21], [30, 29, 28, 27, 26]], [[35, 34, 33, 32, 31], [40, 39, 38, 37, 36]]]);
    expect(new RandomHorizontalFlip(0).forward(x).toFloat32Array()).toEqual(x.toFloat32Array());
    const many = counting(1000, 1, 1, 2);
    const flipped = new RandomHorizontalFlip().forward(many).toFloat32Array().filter((v, i) => i % 2 === 0 && v % 2 === 0).length;
    expect(Math.abs(flipped - 500)).toBeLessThan(80); // Binomial(1000, 0.5): σ ≈ 16
  });

  it('RandomHorizontalFlip flips rows of any width the same way (SIMD body and scalar tail)', () => {
    sn.setBackend(backend);
    for (const w of [1, 3, 4, 7, 9]) {
      const x = counting(1, 1, 2, w);
      const row = (y: number) => Array.from({ length: w }, (_, i) => y * w + w - i);
      expect(Array.from(new RandomHorizontalFlip(1).forward(x).toFloat32Array())).toEqual([...row(0), ...row(1)]);
    }
  });

  it('RandomAffine by exactly 90° turns each image clockwise on screen (nearest)', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const out = new RandomAffine({ degrees: [90, 90] }).forward(x);
    expect(out.toArray()).toEqual([[[[7, 4, 1], [8, 5, 2], [9, 6, 3]]]]);
  });

  it('RandomAffine with translate only shifts each image by whole pixels within the range, zeros coming in', () => {
    sn.setBackend(backend);
    const x = counting(400, 2, 4, 6);
    const out = new RandomAffine({ degrees: 0, translate: [0.34, 0.25] }).forward(x);
    const values = out.toFloat32Array();
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const got = JSON.stringify(image(values, out.shape, i));
      // tx in [−2.04, 2.04] and ty in [−1, 1], rounded: the image moves right by tx, down by ty.
      const match = [-1, 0, 1].flatMap((ty) => [-2, -1, 0, 1, 2].map((tx) => [ty, tx])).find(([ty, tx]) => JSON.stringify(shifted(x, i, -ty, -tx, 4, 6)) === got);
      expect(match, `image ${i} is no whole-pixel shift`).toBeDefined();
      seen.add(String(match));
    }
    expect(seen.size).toBe(15);
  });

  it('RandomAffine interpolates bilinearly between pixels when asked: a half-pixel rotation centre on an even size', () => {
    sn.setBackend(backend);
    // 180° about the centre of a 1×4 row maps x to 3 − x exactly; a ramp stays a (reversed) ramp.
    const x = sn.tensor([[[[0, 1, 2, 3]]]]);
    expect(new RandomAffine({ degrees: [180, 180], interpolation: 'bilinear' }).forward(x).toFloat32Array()[0]).toBeCloseTo(3, 5);
    // 45° of a constant 5×5 image: the centre keeps its value; the top-left corner reads at
    // (2 − 2√2, 2), between the zero fill and the left column: weight 3 − 2√2 on the pixel inside.
    const ones = sn.ones([1, 1, 5, 5]);
    const out = new RandomAffine({ degrees: [45, 45], interpolation: 'bilinear' }).forward(ones).toArray() as number[][][][];
    expect(out[0][0][2][2]).toBeCloseTo(1, 6);
    expect(out[0][0][0][0]).toBeCloseTo(3 - 2 * Math.SQRT2, 6);
  });

  it('Normalize(mean, std) computes (x − mean[c]) / std[c] per channel', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[[[1, 2]], [[3, 4]]]]);
    expect(new Normalize([1, 2], [2, 0.5]).forward(x).toArray()).toEqual([[[[0, 0.5]], [[2, 4]]]]);
  });

  it('Compose applies its transforms in order: the same bits as calling them one by one from the same seed', () => {
    sn.setBackend(backend);
    const x = sn.tensor(randomValues(4 * 3 * 10 * 10, 5), [4, 3, 10, 10]);
    const steps = [new RandomCrop(8, { padding: 1 }), new RandomHorizontalFlip(), new RandomAffine({ degrees: 15 }), new Normalize([0.1, 0.2, 0.3], [1, 2, 3])];
    sn.manualSeed(3);
    const byHand = steps.reduce((t, step) => step.forward(t), x).toFloat32Array();
    expect(run(new Compose(steps), x, 3)).toEqual(byHand);
  });
});

describe('transforms agree across backends', () => {
  it('crop, flip and whole-pixel shifts give the same bits on wasm and ts; rotations agree within f32 rounding', () => {
    const x = randomValues(8 * 3 * 12 * 12, 9);
    const pipelines = {
      exact: () => new Compose([new RandomCrop(10, { padding: 3 }), new RandomHorizontalFlip(), new RandomAffine({ degrees: 0, translate: [0.2, 0.2] })]),
      nearest: () => new RandomAffine({ degrees: 30, translate: [0.1, 0.1] }),
      bilinear: () => new RandomAffine({ degrees: 30, translate: [0.1, 0.1], interpolation: 'bilinear' }),
    };
    const outputs = (name: 'wasm' | 'ts') => {
      sn.setBackend(name);
      const t = sn.tensor(x, [8, 3, 12, 12]);
      return Object.fromEntries(Object.entries(pipelines).map(([key, make]) => [key, run(make(), t, 4)]));
    };
    const [wasm, ts] = [outputs('wasm'), outputs('ts')];
    expect(wasm.exact).toEqual(ts.exact);
    // Nearest sampling: a different last bit of cos/sin could move a tie; none is expected here.
    expect(wasm.nearest).toEqual(ts.nearest);
    expectClose(wasm.bilinear, ts.bilinear, () => 1e-5, 'bilinear rotation');
  });
});

describe('transforms across engines and threads', () => {
  /** Hex SHA-256 of a seeded augmentation pipeline's output on a fixed batch of 32×32 RGB images. */
  async function pipelineHash(): Promise<string> {
    const x = sn.tensor(randomValues(64 * 3 * 32 * 32, 21), [64, 3, 32, 32]);
    const augment = new Compose([
      new RandomCrop(32, { padding: 4 }), new RandomHorizontalFlip(),
      new RandomAffine({ degrees: 10, translate: [0.1, 0.1], interpolation: 'bilinear' }),
      new RandomAffine({ degrees: 20 }), new Normalize([0.5, 0.4, 0.3], [0.25, 0.2, 0.3]),
    ]);
    sn.manualSeed(77);
    const bytes = new Uint8Array(augment.forward(x).toFloat32Array().buffer as ArrayBuffer);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // Computed once in Node; the browser project checks that Chromium gives the same bits.
  const EXPECTED = 'a69e64f9f69154d1944c5675df9b167a1826b8b50f338434eccabd7092542524';

  it('give the same bits in every engine (this hash is Node\'s; the browser project runs the same test)', async () => {
    expect(await pipelineHash()).toBe(EXPECTED);
  });

  it('give the same bits on 1 and 2 threads', async () => {
    const threads = sn.getNumThreads();
    try {
      await sn.setNumThreads(1);
      const one = await pipelineHash();
      await sn.setNumThreads(2);
      expect(await pipelineHash()).toBe(one);
    } finally {
      await sn.setNumThreads(threads);
    }
  });
});

describe('transform errors name the problem', () => {
  it('refuse bad options and inputs', () => {
    expect(() => new RandomCrop(0)).toThrow(/RandomCrop: size must be a positive integer or \[height, width\]/);
    expect(() => new RandomCrop(4, { padding: [1, 2, 3] as never })).toThrow(/RandomCrop: padding must be/);
    expect(() => new RandomCrop(9).forward(sn.zeros([1, 1, 4, 4]))).toThrow(/RandomCrop: the crop 9×9 is larger than the padded images 4×4/);
    expect(() => new RandomHorizontalFlip(1.5)).toThrow(/RandomHorizontalFlip: p must be a probability in \[0, 1\], got 1.5/);
    expect(() => new RandomAffine({ degrees: [10, -10] })).toThrow(/RandomAffine: degrees must be/);
    expect(() => new RandomAffine({ degrees: 5, translate: [0.1, 2] })).toThrow(/RandomAffine: translate must be/);
    expect(() => new Normalize([0.5], [0])).toThrow(/Normalize: std\[0\] is 0, which would divide by zero/);
    expect(() => new Normalize([0.5, 0.5], [1, 1]).forward(sn.zeros([1, 3, 2, 2]))).toThrow(/Normalize: 2 means and standard deviations for images with 3 channels/);
    expect(() => new RandomHorizontalFlip().forward(sn.zeros([3, 4]))).toThrow(/RandomHorizontalFlip: expects a batch of images \[N, C, H, W\], got shape \[3, 4\]/);
  });
});

// Images in, answers out: sn.vision.fromPixels / fromImageData and sn.topK, in Node and in Chromium
// (where ImageData, OffscreenCanvas and ImageBitmap are real).
import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const inBrowser = typeof OffscreenCanvas !== 'undefined';
const round = (t: sn.Tensor) => Array.from(t.toFloat32Array(), (v) => Math.round(v * 1e6) / 1e6);

describe('sn.vision.fromPixels', () => {
  // A 2×2 image: red, green / blue, white.
  const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255];

  it('gives [1, C, H, W] planes of v/255 from interleaved RGB, RGBA or grey bytes', () => {
    const x = sn.vision.fromPixels(Uint8Array.from(rgb), 2, 2, 3);
    expect(x.shape).toEqual([1, 3, 2, 2]);
    expect(x.toArray()).toEqual([[[[1, 0], [0, 1]], [[0, 1], [0, 1]], [[0, 0], [1, 1]]]]);
    const rgba = Uint8ClampedArray.from([255, 0, 0, 7, 0, 255, 0, 7, 0, 0, 255, 7, 255, 255, 255, 7]);
    expect(sn.vision.fromPixels(rgba, 2, 2, 4).toArray()).toEqual(x.toArray());
    expect(sn.vision.fromPixels([0, 51, 102, 255], 2, 2, 1).toArray()).toEqual([[[[0, 0.2], [0.4, 1]]]].map((p) => p.map((c) => c.map((r) => r.map(Math.fround)))));
  });

  it('turns colour into PIL\'s luma with grayscale, and normalises per channel', () => {
    const grey = sn.vision.fromPixels(rgb, 2, 2, 3, { grayscale: true });
    expect(grey.shape).toEqual([1, 1, 2, 2]);
    expect(round(grey)).toEqual([76 / 255, 150 / 255, 29 / 255, 1].map((v) => Math.round(Math.fround(v) * 1e6) / 1e6));
    const normalised = sn.vision.fromPixels(rgb, 2, 2, 3, { mean: [0.5, 0, 1], std: [0.5, 2, 1] });
    expect(normalised.toArray()).toEqual([[[[1, -1], [-1, 1]], [[0, 0.5], [0, 0.5]], [[-1, -1], [0, 0]]]]);
    expect(sn.vision.fromPixels([0, 255], 2, 1, 1, { mean: 0.5, std: 0.5 }).toArray()).toEqual([[[[-1, 1]]]]);
  });

  it('resizes with the antialiased bilinear filter: constant stays constant, shrinking averages, growing interpolates', () => {
    const flat = new Uint8Array(5 * 7 * 3).fill(51);
    expect(new Set(sn.vision.fromPixels(flat, 7, 5, 3, { size: [3, 4] }).toFloat32Array())).toEqual(new Set([Math.fround(0.2)]));
    // 4×1 columns 0, 0, 255, 255 halved: each output weighs its two pixels 3/8 each and the next ones 1/8.
    expect(round(sn.vision.fromPixels([0, 0, 255, 255], 4, 1, 1, { size: [1, 2] }))).toEqual([1 / 7, 6 / 7].map((v) => Math.round(v * 1e6) / 1e6));
    // Growing matches bilinear interpolation with PyTorch's half-pixel centres.
    const grown = sn.vision.fromPixels([0, 255], 2, 1, 1, { size: [1, 4] });
    expect(round(grown)).toEqual([0, 0.25, 0.75, 1]);
    expect(round(grown)).toEqual(round(sn.F.interpolate(sn.tensor([0, 1], [1, 1, 1, 2]), { size: [1, 4], mode: 'bilinear' })));
  });

  it('names what is wrong with the bytes or the options', () => {
    expect(() => sn.vision.fromPixels(new Uint8Array(11), 2, 2, 3)).toThrow('fromPixels: 11 bytes given for a 2×2 image of 3 channels, which holds 12');
    expect(() => sn.vision.fromPixels(new Uint8Array(8), 2, 2, 2 as 3)).toThrow('fromPixels: channels=2 must be 1 (grey), 3 (RGB) or 4 (RGBA)');
    expect(() => sn.vision.fromPixels(new Uint8Array(0), 0, 2, 1)).toThrow('fromPixels: width=0 must be a positive integer');
    expect(() => sn.vision.fromPixels(new Uint8Array(12), 2, 2, 3, { mean: [0, 0] })).toThrow('fromPixels: mean=[0,0] must be a number or 3 of them, one per channel');
    expect(() => sn.vision.fromPixels(new Uint8Array(12), 2, 2, 3, { std: 0 })).toThrow('fromPixels: std=0 must not hold 0');
    expect(() => sn.vision.fromPixels(new Uint8Array(12), 2, 2, 3, { size: [2, 0] })).toThrow('fromPixels: size=[2,0] must be a positive integer or a pair [height, width] of them');
  });
});

describe('sn.vision.fromImageData', () => {
  const pixels = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
  const expected = sn.vision.fromPixels(pixels, 2, 2, 4, { size: 3 }).toArray();

  it('reads ImageData (or anything shaped like it) as fromPixels reads its RGBA bytes', () => {
    const image = inBrowser ? new ImageData(pixels, 2, 2) : { width: 2, height: 2, data: pixels };
    expect(sn.vision.fromImageData(image, { size: 3 }).toArray()).toEqual(expected);
  });

  it.runIf(inBrowser)('reads an OffscreenCanvas, a <canvas> and an ImageBitmap by drawing them', async () => {
    const canvas = new OffscreenCanvas(2, 2);
    canvas.getContext('2d')!.putImageData(new ImageData(pixels, 2, 2), 0, 0);
    expect(sn.vision.fromImageData(canvas, { size: 3 }).toArray()).toEqual(expected);
    const element = Object.assign(document.createElement('canvas'), { width: 2, height: 2 });
    element.getContext('2d')!.putImageData(new ImageData(pixels, 2, 2), 0, 0);
    expect(sn.vision.fromImageData(element, { size: 3 }).toArray()).toEqual(expected);
    const bitmap = await createImageBitmap(new ImageData(pixels, 2, 2));
    expect(sn.vision.fromImageData(bitmap, { size: 3 }).toArray()).toEqual(expected);
  });

  it.runIf(!inBrowser)('says to use fromPixels where there is no canvas (Node)', () => {
    expect(() => sn.vision.fromImageData({ width: 2, height: 2 })).toThrow('fromImageData: no 2-D canvas to read the pixels with here (browsers and Web Workers have one); in Node use sn.vision.fromPixels');
  });

  it('rejects pixel data of the wrong length', () => {
    expect(() => sn.vision.fromImageData({ width: 2, height: 2, data: new Uint8ClampedArray(12) })).toThrow('fromImageData: 12 bytes of pixel data for a 2×2 image (expected 16, RGBA)');
  });
});

describe.each(['wasm', 'ts'] as const)('sn.topK on the %s backend', (backend) => {
  it('gives the k largest values along a dimension, largest first, and their indices', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[0.1, 0.6, 0.3], [0.5, 0.2, 0.5]]);
    const { values, indices } = sn.topK(x, 2);
    expect(values.toArray()).toEqual([[0.6, 0.3], [0.5, 0.5]].map((r) => r.map(Math.fround)));
    expect(indices.toArray()).toEqual([[1, 2], [0, 2]]);
    expect(sn.topK(x, 1, 0).indices.toArray()).toEqual([[1, 0, 1]]);
    expect(sn.topK(sn.tensor([1, NaN, 3]), 3).indices.toArray()).toEqual([1, 2, 0]);
    expect(sn.topK(x, 0).values.shape).toEqual([2, 0]);
  });

  it('passes the gradient of the values back to where they came from', () => {
    sn.setBackend(backend);
    const x = sn.tensor([[3, 1, 2], [0, 5, 4]]);
    x.requiresGrad = true;
    sn.mul(sn.topK(x, 2).values, sn.tensor([[10, 20], [30, 40]])).sum().backward();
    expect(x.grad?.toArray()).toEqual([[10, 0, 20], [0, 30, 40]]);
  });

  it('names a bad k or dim', () => {
    sn.setBackend(backend);
    expect(() => sn.topK(sn.zeros([2, 3]), 4)).toThrow('topK: k=4 must be an integer from 0 to 3, the size of dimension 1 of a tensor of shape [2, 3]');
    expect(() => sn.topK(sn.zeros([2, 3]), 1, 2)).toThrow('topK: dim 2 is out of range for a tensor of shape [2, 3]');
  });
});

describe('topK gradient', () => {
  it('matches finite differences', () => {
    gradcheck((x) => sn.topK(x, 3, 0).values, [{ values: [0.3, -0.7, 0.9, 0.1, -0.2, 0.5, 0.8, -0.4], shape: [4, 2] }]);
  });
});

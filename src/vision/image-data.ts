// Browser images to a network's input: ImageData is read directly; canvases and ImageBitmaps are
// drawn into a 2-D canvas to read their pixels; then fromPixels does the rest. The types are
// structural, so simdnn's declarations need no DOM library.
import { SimdnnError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { fromPixels, type ImageTensorOptions } from './pixels.js';

/** RGBA pixels with their size, as the browser's `ImageData`. */
export interface ImageDataLike {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

/** A browser image simdnn can read: `ImageData`, `HTMLCanvasElement`, `OffscreenCanvas` or `ImageBitmap`. */
export type BrowserImage = ImageDataLike | { readonly width: number; readonly height: number };

/**
 * A browser image as a `[1, C, H, W]` tensor (see `fromPixels` for the options: `size`, `mean`,
 * `std`, `grayscale`). Canvases and ImageBitmaps are drawn into an OffscreenCanvas (or a `<canvas>`
 * where there is none) to read their pixels, so this needs a browser or a Web Worker; in Node use
 * `fromPixels`.
 */
export function fromImageData(image: BrowserImage, options: ImageTensorOptions = {}): Tensor {
  const { width, height, data } = 'data' in image ? image : readPixels(image);
  if (data.length !== 4 * width * height) {
    throw new SimdnnError(`fromImageData: ${data.length} bytes of pixel data for a ${width}×${height} image (expected ${4 * width * height}, RGBA)`);
  }
  return fromPixels(data, width, height, 4, options);
}

/** The RGBA pixels of a canvas or an image, drawn into a fresh 2-D canvas of its size. */
function readPixels(image: { readonly width: number; readonly height: number }): ImageDataLike {
  const { width, height } = image;
  if (!(width > 0 && height > 0)) throw new SimdnnError(`fromImageData: the image is ${width}×${height}; expected ImageData, a canvas or an ImageBitmap with pixels`);
  const canvas = newCanvas(width, height);
  const context = canvas?.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;
  if (!context) throw new SimdnnError('fromImageData: no 2-D canvas to read the pixels with here (browsers and Web Workers have one); in Node use sn.vision.fromPixels');
  try {
    context.drawImage(image as CanvasImageSource, 0, 0);
  } catch (cause) {
    throw new SimdnnError(`fromImageData: cannot draw the ${width}×${height} image to read its pixels (expected ImageData, a canvas or an ImageBitmap): ${(cause as Error).message}`, { cause });
  }
  return context.getImageData(0, 0, width, height);
}

function newCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement | undefined {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  if (typeof document === 'undefined') return undefined;
  return Object.assign(document.createElement('canvas'), { width, height });
}

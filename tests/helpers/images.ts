// Image files for the image-folder and CLI tests, written with the same pure-JS codecs simdnn reads
// them with (pngjs, jpeg-js). Node only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

/** An RGBA image: `pixel(x, y)` gives [r, g, b, a] bytes. */
export interface Picture {
  width: number;
  height: number;
  pixel: (x: number, y: number) => readonly [number, number, number, number];
}

function rgbaBytes({ width, height, pixel }: Picture): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), (y * width + x) * 4);
  return out;
}

/** PNG bytes: 8-bit RGBA by default; `grey` writes PNG colour type 0 (R, G, B must be equal), `sixteenBit` 16-bit RGB. */
export function encodePng(picture: Picture, { grey = false, sixteenBit = false } = {}): Uint8Array {
  const png = new pngjs.PNG({ width: picture.width, height: picture.height });
  const bytes = rgbaBytes(picture);
  // pngjs reads 16-bit input as native-endian u16 samples: byte b becomes b·257 (exactly b after scaling back).
  png.data = sixteenBit ? Buffer.from(Uint16Array.from(bytes, (b) => b * 257).buffer) : Buffer.from(bytes);
  return pngjs.PNG.sync.write(png, sixteenBit ? { bitDepth: 16, colorType: 2 } : grey ? { colorType: 0 } : {});
}

/** JPEG bytes (baseline, YCbCr) at `quality`. */
export function encodeJpeg(picture: Picture, quality = 95): Uint8Array {
  return jpeg.encode({ width: picture.width, height: picture.height, data: rgbaBytes(picture) }, quality).data;
}

/** A picture of one colour. */
export const solid = (width: number, height: number, r: number, g: number, b: number, a = 255): Picture =>
  ({ width, height, pixel: () => [r, g, b, a] });

/** Writes `bytes` at `path`, making its folders. */
export function writeBytes(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

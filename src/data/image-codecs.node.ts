// '#image-codecs' in Node (package.json "imports", condition "node"): PNG through `pngjs`, JPEG
// through `jpeg-js`, both pure JavaScript (no native binary to download or build). They are
// imported on first use, so programs that never decode an image never load them.
import type { DecodedImage, ImageCodecs } from './image-codecs.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, signature: readonly number[]) => signature.every((b, i) => bytes[i] === b);

const loadPng = async () => (await import('pngjs')).default.PNG;
const loadJpeg = async () => (await import('jpeg-js')).default;
let png: ReturnType<typeof loadPng> | undefined;
let jpeg: ReturnType<typeof loadJpeg> | undefined;

/** Node's decoders. */
export const imageCodecs: ImageCodecs | undefined = {
  async decode(bytes: Uint8Array): Promise<DecodedImage> {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      // 16-bit samples are scaled to 8 bits, palettes and grey levels expanded to RGBA.
      const image = (await (png ??= loadPng())).sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: image.width, height: image.height, rgba: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      // tolerantDecoding off: a truncated or damaged file is an error, not a partly grey image.
      const image = (await (jpeg ??= loadJpeg())).decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: false });
      return { width: image.width, height: image.height, rgba: image.data };
    }
    throw new Error('not a PNG or JPEG file (its first bytes are neither signature)');
  },
};

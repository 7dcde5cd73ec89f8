// Decoding PNG and JPEG files into pixels. Node has decoders (image-codecs.node.ts: the pure-JS
// `pngjs` and `jpeg-js` packages); browsers and workers get none from here
// (image-codecs.browser.ts), since they decode images themselves (ImageBitmap, canvas). Source
// files import the implementation as '#image-codecs': package.json's "imports" picks the file by
// the "node" condition, so no browser bundle contains the decoders.

/** An image as 8-bit RGBA pixels, row after row from the top (4 bytes per pixel). */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** The decoders simdnn uses. */
export interface ImageCodecs {
  /**
   * Decodes a PNG (any bit depth, palette, interlaced) or a baseline or progressive JPEG, recognised
   * by its first bytes whatever the file is called. Rejects with an `Error` saying what is wrong
   * when the bytes are neither, or are corrupt or truncated.
   */
  decode(bytes: Uint8Array): Promise<DecodedImage>;
}

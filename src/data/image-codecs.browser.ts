// '#image-codecs' everywhere but Node (package.json "imports", the default condition): no decoders
// here; callers refuse image files with a message saying what to use instead.
import type { ImageCodecs } from './image-codecs.js';

/** No image decoders here. */
export const imageCodecs: ImageCodecs | undefined = undefined;

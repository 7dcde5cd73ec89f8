// `sn.vision`: images in, tensors out.
export { fromPixels, type ImageTensorOptions } from './pixels.js';
export { fromImageData, type BrowserImage, type ImageDataLike } from './image-data.js';

// sn.data.transforms: torchvision's image transforms, applied to whole batches [N, C, H, W].
export { Compose, type Transform } from './transform.js';
export { RandomCrop, type RandomCropOptions } from './random-crop.js';
export { RandomHorizontalFlip } from './random-horizontal-flip.js';
export { RandomAffine, type RandomAffineOptions } from './random-affine.js';
export { Normalize } from './normalize.js';

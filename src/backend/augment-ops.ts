import type { Storage } from './backend.js';

/** How `affineImages` reads the input between pixel centres. */
export type Interpolation = 'nearest' | 'bilinear';

/**
 * Data augmentation primitives over a batch of images `[n, c, h, w]` (NCHW). The random choices are
 * made by the caller and passed per image; out never aliases inp.
 */
export interface AugmentOps {
  /**
   * out `[n, c, outH, outW]`: a window of each image of inp `[n, c, h, w]` whose top-left corner is
   * at (offsets[2i], offsets[2i + 1]) = (top, left) for image i; rows and columns of the window that
   * fall outside the image are zeros (so a crop of a zero-padded image is a window with negative or
   * far offsets).
   */
  cropImages(out: Storage, inp: Storage, n: number, c: number, h: number, w: number, outH: number, outW: number, offsets: Int32Array): void;
  /** out = inp `[n, c, h, w]` with image i mirrored left to right where flips[i] ≠ 0, copied otherwise. */
  flipImages(out: Storage, inp: Storage, n: number, c: number, h: number, w: number, flips: Int32Array): void;
  /**
   * out = inp `[n, c, h, w]` with image i rotated by params[3i] degrees about its centre (clockwise on
   * screen when positive) and then shifted by (params[3i + 1], params[3i + 2]) pixels along x and y:
   * torchvision's `F.affine` on tensors with scale 1, no shear and fill 0, sampling `interpolation`.
   */
  affineImages(out: Storage, inp: Storage, n: number, c: number, h: number, w: number, params: Float32Array, interpolation: Interpolation): void;
}

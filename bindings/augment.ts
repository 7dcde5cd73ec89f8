// Typed wrappers for the augmentation kernels (assembly/augment.ts): the per-image choices are
// copied into a scratch block of wasm memory, and large batches are split across the thread pool by
// image ranges.
import { wasm } from './instance.js';
import { allocUninitializedFloats, f32View, freeFloats, u32View } from './memory.js';
import { runOverRange } from './ranges.js';

interface AugmentExports {
  readonly AFFINE_NEAREST: WebAssembly.Global;
  readonly AFFINE_BILINEAR: WebAssembly.Global;
}

/** A kernel whose arguments end with the image range [start, end): `args` then 0, n. */
function runOverImages(kernel: string, args: number[], n: number, floatsPerImage: number): void {
  runOverRange(kernel, args, n, 2 * n * floatsPerImage);
}

/** Runs `use` with `values` copied into a scratch block of wasm memory (its byte address), then frees it. */
function withScratch(values: Int32Array | Float32Array, use: (address: number) => void): void {
  const address = allocUninitializedFloats(values.length);
  try {
    if (values instanceof Float32Array) f32View(address, values.length).set(values);
    else u32View(address, values.length).set(values); // the same 32 bits
    use(address);
  } finally {
    freeFloats(address);
  }
}

/** out [n, c, outH, outW] = windows of inp [n, c, h, w] at offsets (top, left) per image, zeros outside (byte addresses). */
export function cropImages(out: number, inp: number, n: number, c: number, h: number, w: number, outH: number, outW: number, offsets: Int32Array): void {
  withScratch(offsets, (o) => runOverImages('f32CropImages', [out, inp, o, c, h, w, outH, outW], n, c * outH * outW));
}

/** out = inp [n, c, h, w] with the images where flips[i] ≠ 0 mirrored left to right. */
export function flipImages(out: number, inp: number, n: number, c: number, h: number, w: number, flips: Int32Array): void {
  withScratch(flips, (f) => runOverImages('f32FlipImages', [out, inp, f, c, h, w], n, c * h * w));
}

/** out = inp [n, c, h, w] rotated by params[3i] degrees about the centre, then shifted by (params[3i + 1], params[3i + 2]). */
export function affineImages(out: number, inp: number, n: number, c: number, h: number, w: number, params: Float32Array, bilinear: boolean): void {
  const exports = wasm<AugmentExports>();
  const mode: number = (bilinear ? exports.AFFINE_BILINEAR : exports.AFFINE_NEAREST).value;
  // Sampling costs several times a copy per value: weigh it as 4 streams.
  withScratch(params, (p) => runOverImages('f32AffineImages', [out, inp, p, c, h, w, mode], n, 2 * c * h * w));
}

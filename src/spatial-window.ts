// How an op moves pixels, recorded with it (GradNode.window) so that sn.summary can compose the
// receptive fields of any forward pass, layers or functional code alike.

/**
 * Per spatial axis [h, w]: each output unit reads `taps` input units `spacing` apart, and the output
 * has `scale` units per input unit (1/stride for a convolution, the factor for an upsampling); or
 * `'global'` when each output unit reads the whole input (a linear layer, global pooling). Ops that
 * keep each pixel where it is (elementwise, reshape, cat …) record none.
 */
export type SpatialWindow = { taps: [number, number]; spacing: [number, number]; scale: [number, number] } | 'global';

/** The window of a sliding kernel: `kernel` taps `dilation` apart, moved by `stride`. */
export function slidingWindow(kernel: readonly [number, number], stride: readonly [number, number], dilation: readonly [number, number] = [1, 1]): SpatialWindow {
  return { taps: [kernel[0], kernel[1]], spacing: [dilation[0], dilation[1]], scale: [1 / stride[0], 1 / stride[1]] };
}

import * as sn from '../../index.js';
import type { LoadContext } from './op.js';
import type { Window } from './window.js';

/** How a pooling pads: ceil_mode's overhang, and whether it averages (which must not count the overhang). */
export interface PadOptions {
  ceilMode?: boolean;
  /** A pooling, whose implicit padding is at most half the kernel. */
  pool?: boolean;
  average?: boolean;
}

/**
 * The input and the symmetric [h, w] padding that simdnn's conv2d and pool2d take for a window over a
 * 4-D input `x`, with the padding `window` gives and, in ceil mode, the extra padding at the end that
 * the last partial window needs. Padding those ops cannot take (asymmetric, or more than half a
 * pooling kernel) is added to the input as `value` instead (sn.F.pad).
 */
export function padWindow(ctx: LoadContext, x: sn.Tensor, window: Window, value: number, options: PadOptions = {}): { input: sn.Tensor; padding: [number, number] } {
  const { begin, end } = window.pads([x.shape[2], x.shape[3]]);
  if (options.ceilMode) {
    for (const a of [0, 1] as const) {
      const size = x.shape[2 + a] + begin[a] + end[a];
      const [k, s] = [window.kernel[a], window.strides[a]];
      let out = Math.ceil((size - k) / s) + 1;
      if ((out - 1) * s >= x.shape[2 + a] + begin[a]) out--; // the last window must start inside the input or its left padding
      const extra = Math.max(0, (out - 1) * s + k - size);
      if (extra > 0 && options.average) ctx.fail('ceil_mode = 1 with a partial last window is unsupported for AveragePool');
      end[a] += extra;
    }
  }
  const symmetric = begin[0] === end[0] && begin[1] === end[1];
  const implicit = !options.pool || (2 * begin[0] <= window.kernel[0] && 2 * begin[1] <= window.kernel[1]);
  if (symmetric && implicit) return { input: x, padding: begin };
  return { input: sn.F.pad(x, [begin[1], end[1], begin[0], end[0]], value), padding: [0, 0] };
}

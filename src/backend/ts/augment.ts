import type { AugmentOps } from '../augment-ops.js';
import { roundHalfEven } from '../../round.js';
import { tsData } from './storage.js';

export const tsAugmentOps: AugmentOps = {
  cropImages(out, inp, n, c, h, w, outH, outW, offsets) {
    const O = tsData(out);
    const X = tsData(inp);
    for (let i = 0; i < n; i++) {
      const [top, left] = [offsets[2 * i], offsets[2 * i + 1]];
      for (let ch = 0; ch < c; ch++) {
        const src = (i * c + ch) * h * w;
        const dst = (i * c + ch) * outH * outW;
        for (let y = 0; y < outH; y++) {
          for (let x = 0; x < outW; x++) {
            const [sy, sx] = [y + top, x + left];
            O[dst + y * outW + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? X[src + sy * w + sx] : 0;
          }
        }
      }
    }
  },

  flipImages(out, inp, n, c, h, w, flips) {
    const O = tsData(out);
    const X = tsData(inp);
    for (let i = 0; i < n; i++) {
      for (let row = i * c * h; row < (i + 1) * c * h; row++) {
        for (let x = 0; x < w; x++) O[row * w + x] = X[row * w + (flips[i] !== 0 ? w - 1 - x : x)];
      }
    }
  },

  affineImages(out, inp, n, c, h, w, params, interpolation) {
    const O = tsData(out);
    const X = tsData(inp);
    const plane = h * w;
    const [cx, cy] = [(w - 1) * 0.5, (h - 1) * 0.5];
    /** Image i's value at integer (x, y) of channel ch, or 0 outside. */
    const at = (i: number, ch: number, x: number, y: number) => (x >= 0 && x < w && y >= 0 && y < h ? X[(i * c + ch) * plane + y * w + x] : 0);
    for (let i = 0; i < n; i++) {
      const radians = params[3 * i] * (Math.PI / 180);
      const [cosA, sinA] = [Math.cos(radians), Math.sin(radians)];
      const [tx, ty] = [params[3 * i + 1], params[3 * i + 2]];
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const [u, v] = [x - cx - tx, y - cy - ty];
          const xi = cosA * u + sinA * v + cx;
          const yi = -sinA * u + cosA * v + cy;
          for (let ch = 0; ch < c; ch++) {
            const o = (i * c + ch) * plane + y * w + x;
            if (interpolation === 'nearest') {
              O[o] = at(i, ch, roundHalfEven(xi), roundHalfEven(yi));
              continue;
            }
            const [x0, y0] = [Math.floor(xi), Math.floor(yi)];
            const fx = Math.fround(xi - x0);
            const fy = Math.fround(yi - y0);
            const f = Math.fround;
            // grid_sample's order: top-left, top-right, bottom-left, bottom-right, in f32.
            let value = f(f(f(1 - fx) * f(1 - fy)) * at(i, ch, x0, y0));
            value = f(value + f(f(fx * f(1 - fy)) * at(i, ch, x0 + 1, y0)));
            value = f(value + f(f(f(1 - fx) * fy) * at(i, ch, x0, y0 + 1)));
            O[o] = f(value + f(f(fx * fy) * at(i, ch, x0 + 1, y0 + 1)));
          }
        }
      }
    }
  },
};

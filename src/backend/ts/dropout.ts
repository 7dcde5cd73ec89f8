import type { DropoutOps } from '../dropout-ops.js';
import { tsData } from './storage.js';

export const tsDropoutOps: DropoutOps = {
  dropoutMask(mask, bits, threshold, scale) {
    const M = tsData(mask);
    for (let i = 0; i < M.length; i++) M[i] = bits[i] >= threshold ? scale : 0;
  },
  dropoutApply(out, x, mask, size) {
    const O = tsData(out);
    const X = tsData(x);
    const M = tsData(mask);
    for (let i = 0; i < size; i++) O[i] = X[i] * M[i];
  },
};

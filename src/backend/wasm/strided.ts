import type { StridedOps } from '../strided-ops.js';
import { copyStrided } from '../../../bindings/strided.js';
import { ptr } from './storage.js';

export const wasmStridedOps: StridedOps = {
  copyStrided: (dst, src, { dims, dst: to, src: from }) =>
    copyStrided(ptr(dst) + 4 * to.offset, ptr(src) + 4 * from.offset, dims, to.strides, from.strides),
};

import type { StridedOps } from '../strided-ops.js';
import { tsData } from './storage.js';

export const tsStridedOps: StridedOps = {
  copyStrided(dst, src, { dims, dst: to, src: from }) {
    const D = tsData(dst);
    const S = tsData(src);
    const rank = dims.length;
    const n = dims[rank - 1];
    const sd = to.strides[rank - 1];
    const ss = from.strides[rank - 1];
    const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
    for (let row = 0; row < rows; row++) {
      let rest = row;
      let offD = to.offset;
      let offS = from.offset;
      for (let d = rank - 2; d >= 0; d--) {
        const coord = rest % dims[d];
        rest = (rest - coord) / dims[d];
        offD += coord * to.strides[d];
        offS += coord * from.strides[d];
      }
      for (let i = 0; i < n; i++) D[offD + i * sd] = S[offS + i * ss];
    }
  },
};

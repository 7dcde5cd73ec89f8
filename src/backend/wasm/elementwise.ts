import type { ElementwiseOps } from '../elementwise-ops.js';
import { binary, unaryBackward, unaryForward } from '../../../bindings/elementwise.js';
import { ptr } from './storage.js';

export const wasmElementwiseOps: ElementwiseOps = {
  binary: (op, out, a, b, { dims, aStrides, bStrides }) => binary(op, ptr(out), ptr(a), ptr(b), dims, aStrides, bStrides),
  unary: (op, out, x, n, param = 0) => unaryForward(op, ptr(out), ptr(x), n, param),
  unaryBackward: (op, gx, gy, saved, n, param = 0) => unaryBackward(op, ptr(gx), ptr(gy), ptr(saved), n, param),
};

import type { BinaryOp, ElementwiseOps, UnaryOp } from '../elementwise-ops.js';
import { tsData } from './storage.js';

// Plain TypeScript elementwise ops: one loop per op (the switch sits outside the loop), strided rows
// for broadcasting. JS arithmetic is f64, rounded to f32 on store.

/** out[o + i] = A[a + i·sa] ∘ B[b + i·sb] for i < n. */
function binaryRow(op: BinaryOp, out: Float32Array, o: number, A: Float32Array, a: number, sa: number, B: Float32Array, b: number, sb: number, n: number): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[o + i] = A[a + i * sa] + B[b + i * sb]; break;
    case 'sub': for (let i = 0; i < n; i++) out[o + i] = A[a + i * sa] - B[b + i * sb]; break;
    case 'mul': for (let i = 0; i < n; i++) out[o + i] = A[a + i * sa] * B[b + i * sb]; break;
    case 'div': for (let i = 0; i < n; i++) out[o + i] = A[a + i * sa] / B[b + i * sb]; break;
  }
}

function unaryValue(op: UnaryOp, v: number, param: number): number {
  switch (op) {
    case 'neg': return -v;
    case 'relu': return v < 0 ? 0 : v; // NaN and −0 stay, as in PyTorch
    case 'leakyRelu': return v > 0 ? v : v * Math.fround(param);
    case 'sigmoid': return 1 / (1 + Math.fround(Math.exp(-v))); // e^−x overflows f32 as in PyTorch
    case 'tanh': return Math.tanh(v);
    case 'exp': return Math.exp(v);
    case 'log': return Math.log(v);
    case 'sqrt': return Math.sqrt(v);
    case 'pow': return param === 2 ? v * v : Math.pow(v, param);
  }
}

/** dL/dx for one element from g = dL/dy and the saved value s (y or x, see UnaryOp). */
function unaryGradient(op: UnaryOp, g: number, s: number, param: number): number {
  switch (op) {
    case 'neg': return -g;
    case 'relu': return s <= 0 ? 0 : g;
    case 'leakyRelu': return s > 0 ? g : g * Math.fround(param);
    case 'sigmoid': return g * (1 - s) * s;
    case 'tanh': return g * (1 - s * s);
    case 'exp': return g * s;
    case 'log': return g / s;
    case 'sqrt': return g / (2 * s);
    case 'pow': return param === 0 ? 0 : g * (param * Math.pow(s, param - 1));
  }
}

export const tsElementwiseOps: ElementwiseOps = {
  binary(op, out, a, b, { dims, aStrides, bStrides }) {
    const O = tsData(out);
    const A = tsData(a);
    const B = tsData(b);
    const rank = dims.length;
    const n = dims[rank - 1];
    const rows = dims.slice(0, -1).reduce((x, y) => x * y, 1);
    for (let row = 0; row < rows; row++) {
      let rest = row;
      let offA = 0;
      let offB = 0;
      for (let d = rank - 2; d >= 0; d--) {
        const coord = rest % dims[d];
        rest = (rest - coord) / dims[d];
        offA += coord * aStrides[d];
        offB += coord * bStrides[d];
      }
      binaryRow(op, O, row * n, A, offA, aStrides[rank - 1], B, offB, bStrides[rank - 1], n);
    }
  },

  unary(op, out, x, n, param = 0) {
    const O = tsData(out);
    const X = tsData(x);
    for (let i = 0; i < n; i++) O[i] = unaryValue(op, X[i], param);
  },

  unaryBackward(op, gx, gy, saved, n, param = 0) {
    const GX = tsData(gx);
    const GY = tsData(gy);
    const S = op === 'neg' ? GY : tsData(saved);
    for (let i = 0; i < n; i++) GX[i] = unaryGradient(op, GY[i], S[i], param);
  },
};

import type { BinaryOp, ElementwiseOps, UnaryOp } from '../elementwise-ops.js';
import { erfc } from './erf.js';
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

/** xᵖ with PyTorch's exact special cases (x·x, x·x·x, √x, 1/x, 1/√x, 1/(x·x)), each rounded to f32. */
function pow(x: number, p: number): number {
  switch (p) {
    case 2: return x * x;
    case 3: return Math.fround(x * x) * x;
    case 0.5: return Math.sqrt(x);
    case -1: return 1 / x;
    case -0.5: return 1 / Math.fround(Math.sqrt(x));
    case -2: return 1 / Math.fround(x * x);
    case 1: return x;
    default: return Math.pow(x, p);
  }
}

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)
const KAPPA = 0.044715;
const clamp6 = (v: number) => Math.min(Math.max(v, 0), 6);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const geluTanhInner = (v: number) => SQRT_2_OVER_PI * (v + KAPPA * v * v * v);

/** O[i] = f(X[i]) for i < n, one loop per op. */
function unaryLoop(op: UnaryOp, O: Float32Array, X: Float32Array, n: number, param: number): void {
  const p = Math.fround(param);
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) O[i] = -X[i]; break;
    case 'relu': for (let i = 0; i < n; i++) O[i] = X[i] < 0 ? 0 : X[i]; break; // NaN and −0 stay, as in PyTorch
    case 'leakyRelu': for (let i = 0; i < n; i++) O[i] = X[i] > 0 ? X[i] : X[i] * p; break;
    // e^−x overflows f32 (to Infinity, so sigmoid(−100) = 0) as in PyTorch.
    case 'sigmoid': for (let i = 0; i < n; i++) O[i] = 1 / (1 + Math.fround(Math.exp(-X[i]))); break;
    case 'tanh': for (let i = 0; i < n; i++) O[i] = Math.tanh(X[i]); break;
    case 'exp': for (let i = 0; i < n; i++) O[i] = Math.exp(X[i]); break;
    case 'log': for (let i = 0; i < n; i++) O[i] = Math.log(X[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) O[i] = Math.sqrt(X[i]); break;
    case 'pow': for (let i = 0; i < n; i++) O[i] = pow(X[i], param); break;
    case 'relu6': for (let i = 0; i < n; i++) O[i] = clamp6(X[i]); break;
    case 'silu': for (let i = 0; i < n; i++) O[i] = X[i] / (1 + Math.exp(-X[i])); break;
    case 'gelu': for (let i = 0; i < n; i++) O[i] = 0.5 * X[i] * erfc(-X[i] * Math.SQRT1_2); break;
    case 'geluTanh': for (let i = 0; i < n; i++) O[i] = 0.5 * X[i] * (1 + Math.tanh(geluTanhInner(X[i]))); break;
    case 'hardswish': for (let i = 0; i < n; i++) O[i] = (X[i] * clamp6(X[i] + 3)) / 6; break;
    case 'hardsigmoid': for (let i = 0; i < n; i++) O[i] = clamp6(X[i] + 3) / 6; break;
  }
}

/** G[i] = dL/dx from D[i] = dL/dy and the saved S[i] (y or x, see UnaryOp), one loop per op. */
function gradientLoop(op: UnaryOp, G: Float32Array, D: Float32Array, S: Float32Array, n: number, param: number): void {
  const p = Math.fround(param);
  switch (op) {
    case 'neg': for (let i = 0; i < n; i++) G[i] = -D[i]; break;
    case 'relu': for (let i = 0; i < n; i++) G[i] = S[i] <= 0 ? 0 : D[i]; break;
    case 'leakyRelu': for (let i = 0; i < n; i++) G[i] = S[i] > 0 ? D[i] : D[i] * p; break;
    case 'sigmoid': for (let i = 0; i < n; i++) G[i] = D[i] * (1 - S[i]) * S[i]; break;
    case 'tanh': for (let i = 0; i < n; i++) G[i] = D[i] * (1 - S[i] * S[i]); break;
    case 'exp': for (let i = 0; i < n; i++) G[i] = D[i] * S[i]; break;
    case 'log': for (let i = 0; i < n; i++) G[i] = D[i] / S[i]; break;
    case 'sqrt': for (let i = 0; i < n; i++) G[i] = D[i] / (2 * S[i]); break;
    case 'pow':
      if (param === 0) G.fill(0, 0, n);
      else for (let i = 0; i < n; i++) G[i] = D[i] * (param * pow(S[i], param - 1));
      break;
    case 'relu6': for (let i = 0; i < n; i++) G[i] = S[i] <= 0 || S[i] >= 6 ? 0 : D[i]; break;
    case 'silu':
      for (let i = 0; i < n; i++) {
        const s = sigmoid(S[i]);
        G[i] = D[i] * s * (1 + S[i] * (1 - s));
      }
      break;
    case 'gelu':
      for (let i = 0; i < n; i++) {
        const x = S[i];
        G[i] = D[i] * (0.5 * erfc(-x * Math.SQRT1_2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x));
      }
      break;
    case 'geluTanh':
      for (let i = 0; i < n; i++) {
        const x = S[i];
        const t = Math.tanh(geluTanhInner(x));
        G[i] = D[i] * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * KAPPA * x * x));
      }
      break;
    case 'hardswish': for (let i = 0; i < n; i++) G[i] = S[i] < -3 ? 0 : S[i] <= 3 ? D[i] * (S[i] / 3 + 0.5) : D[i]; break;
    case 'hardsigmoid': for (let i = 0; i < n; i++) G[i] = S[i] > -3 && S[i] < 3 ? D[i] / 6 : 0; break;
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
    unaryLoop(op, tsData(out), tsData(x), n, param);
  },

  unaryBackward(op, gx, gy, saved, n, param = 0) {
    gradientLoop(op, tsData(gx), tsData(gy), op === 'neg' ? tsData(gy) : tsData(saved), n, param);
  },
};

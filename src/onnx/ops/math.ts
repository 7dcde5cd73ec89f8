// Arithmetic: Add, Sub, Mul, Div with broadcasting (also folded on integer constants at load time),
// Gemm and MatMul.
import { broadcastShapes } from '../../backend/broadcast.js';
import * as sn from '../../index.js';
import { hostNumbers, type HostTensor } from '../host-tensor.js';
import { stridesOf } from './axes.js';
import type { LoadContext, OpSpec } from './op.js';

type Binary = (a: sn.Tensor, b: sn.Tensor) => sn.Tensor;

/** f(a, b) elementwise on host tensors, broadcasting; integer division truncates, as ONNX's Div on integers. */
function hostBinary(ctx: LoadContext, a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): HostTensor {
  const dims = broadcastShapes(a.dims, b.dims) ?? ctx.fail(`shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast`);
  const x = hostNumbers(a, `${ctx.node.opType} input A`);
  const y = hostNumbers(b, `${ctx.node.opType} input B`);
  const stridesFor = (d: readonly number[]) => {
    const s = stridesOf(d);
    return dims.map((n, i) => {
      const j = i - (dims.length - d.length);
      return j < 0 || d[j] === 1 ? 0 : s[j];
    });
  };
  const sa = stridesFor(a.dims);
  const sb = stridesFor(b.dims);
  const out = stridesOf(dims);
  const size = dims.reduce((p, d) => p * d, 1);
  const data = Array.from({ length: size }, (_, flat) => {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < dims.length; d++) {
      const i = Math.floor(flat / out[d]) % dims[d];
      ia += i * sa[d];
      ib += i * sb[d];
    }
    return f(x[ia], y[ib]);
  });
  const dtype = a.dtype === 'float' || b.dtype === 'float' ? 'float' : 'int';
  return { dtype, dims, data: dtype === 'float' ? data.map(Math.fround) : data.map(Math.trunc) };
}

function binary(run: Binary, host: (x: number, y: number) => number): OpSpec {
  return {
    inputs: [2, 2],
    attributes: [],
    fold: (ctx, [a, b]) => [hostBinary(ctx, a!, b!, host)],
    rank: (ctx) => {
      const [ra, rb] = [ctx.rank(0), ctx.rank(1)];
      return [ra === undefined || rb === undefined ? undefined : Math.max(ra, rb)];
    },
    build: () => ([a, b]) => [run(a!, b!)],
  };
}

/**
 * `Gemm`: alpha·op(A)·op(B) + beta·C with A and B 2-D. The usual form of a linear layer (transB = 1,
 * alpha = beta = 1, C of one value per output) runs as one fused `sn.F.linear`.
 */
const gemm: OpSpec = {
  inputs: [2, 3],
  attributes: ['alpha', 'beta', 'transA', 'transB'],
  rank: () => [2],
  build: (ctx) => {
    const alpha = ctx.attrs.float('alpha', 1);
    const beta = ctx.attrs.float('beta', 1);
    const transA = ctx.attrs.int('transA', 0) === 1;
    const transB = ctx.attrs.int('transB', 0) === 1;
    for (const i of [0, 1]) {
      const rank = ctx.rank(i);
      if (rank !== undefined && rank !== 2) ctx.fail(`input ${i === 0 ? 'A' : 'B'} must be 2-D, got rank ${rank}`);
    }
    return ([a0, b, c]) => {
      const a = transA ? sn.transpose(a0!, 0, 1) : a0!;
      if (transB && alpha === 1 && beta === 1 && c?.ndim === 1 && c.shape[0] === b!.shape[0]) return [sn.F.linear(a, b!, c)];
      let y = transB ? sn.F.linear(a, b!) : sn.matmul(a, b!);
      if (alpha !== 1) y = sn.mul(y, alpha);
      if (c && beta !== 0) y = sn.add(y, beta === 1 ? c : sn.mul(c, beta));
      return [y];
    };
  },
};

/** Arithmetic operators by ONNX op type. */
export const MATH_OPS: Record<string, OpSpec> = {
  Add: binary(sn.add, (x, y) => x + y),
  Sub: binary(sn.sub, (x, y) => x - y),
  Mul: binary(sn.mul, (x, y) => x * y),
  Div: binary(sn.div, (x, y) => x / y),
  Gemm: gemm,
  MatMul: {
    inputs: [2, 2],
    attributes: [],
    rank: (ctx) => {
      const [ra, rb] = [ctx.rank(0), ctx.rank(1)];
      if (ra === undefined || rb === undefined) return [undefined];
      return [Math.max(ra, rb) - (ra === 1 || rb === 1 ? 1 : 0)];
    },
    build: () => ([a, b]) => [sn.matmul(a!, b!)],
  },
};

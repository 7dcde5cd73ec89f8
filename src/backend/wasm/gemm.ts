import type { GemmOps } from '../backend.js';
import { gemm } from '../../../bindings/gemm.js';
import { ptr } from './storage.js';

export const wasmGemmOps: GemmOps = {
  gemm(args) {
    const { m, n, k, transA = false, transB = false, accumulate = false, bias, relu = false } = args;
    gemm({
      c: ptr(args.c) + 4 * (args.offsetC ?? 0),
      a: ptr(args.a) + 4 * (args.offsetA ?? 0),
      b: ptr(args.b) + 4 * (args.offsetB ?? 0),
      bias: bias ? ptr(bias.values) : 0,
      m, n, k, transA, transB, accumulate, biasAxis: bias?.axis ?? 'none', relu,
    });
  },
};

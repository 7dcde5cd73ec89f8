import type { Storage } from '../backend.js';
import type { Conv2dGeometry, ConvOps } from '../conv-ops.js';
import { tsElementwiseOps } from './elementwise.js';
import { gemm } from './gemm.js';
import { TsStorage, tsData } from './storage.js';

// Convolution in plain TypeScript, the way a careful JS programmer writes it so that it is a fair
// baseline: per image and group, im2col into a reused scratch array (block copies along rows), then
// the ts GEMM; col2im for the input gradient; dWᵀ = Σ col · dOutᵀ for the weight gradient. The same
// algorithm as the wasm kernels' general path, with no SIMD.

let scratch = new Float32Array(0);

/** A scratch array of at least `length` floats (contents undefined), reused across calls. */
function scratchFor(length: number): Float32Array {
  if (scratch.length < length) scratch = new Float32Array(length);
  return scratch;
}

/** The sizes of one group of one image, and whether the convolution is a plain 1×1 product. */
function groupSizes(g: Conv2dGeometry) {
  const cg = g.c / g.groups;
  const kg = g.k / g.groups;
  const taps = cg * g.r * g.s;
  const pointwise = g.r === 1 && g.s === 1 && g.strideH === 1 && g.strideW === 1 && g.padH === 0 && g.padW === 0;
  return { cg, kg, taps, plane: g.h * g.w, outPlane: g.outH * g.outW, pointwise };
}

/** A storage handle over part of an array (shares memory), for the GEMM. */
function view(data: Float32Array, start = 0, end?: number): Storage {
  return new TsStorage(data.subarray(start, end));
}

/**
 * im2col (scatter = false): col[(c·R + r)·S + s, oh·OW + ow] = x[c, oh·sh + r·dh − ph, ow·sw + s·dw − pw]
 * (0 in the padding), for the `cg` channels of x starting at `offset`. Its transpose (scatter = true):
 * x[c, ih, iw] += col[…] for every tap reading (ih, iw).
 */
function im2col(col: Float32Array, x: Float32Array, offset: number, cg: number, g: Conv2dGeometry, scatter = false): void {
  const { h, w, r: R, s: S, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < cg; c++) {
    const plane = offset + c * h * w;
    for (let r = 0; r < R; r++) {
      for (let s = 0; s < S; s++) {
        const off = s * dilationW - padW;
        const [lo, hi] = validColumns(off, w, strideW, outW);
        for (let oh = 0; oh < outH; oh++, row += outW) {
          const ih = oh * strideH + r * dilationH - padH;
          const src = plane + ih * w + off;
          if (scatter) {
            if (ih >= 0 && ih < h) for (let ow = lo; ow < hi; ow++) x[src + ow * strideW] += col[row + ow];
          } else if (ih < 0 || ih >= h || lo === hi) {
            col.fill(0, row, row + outW);
          } else {
            col.fill(0, row, row + lo);
            if (strideW === 1) col.set(x.subarray(src + lo, src + hi), row + lo);
            else for (let ow = lo; ow < hi; ow++) col[row + ow] = x[src + ow * strideW];
            col.fill(0, row + hi, row + outW);
          }
        }
      }
    }
  }
}

/** The output columns [lo, hi) whose input column ow·sw + off lies inside [0, w). */
function validColumns(off: number, w: number, sw: number, outW: number): [number, number] {
  const lo = off >= 0 ? 0 : Math.min(outW, Math.ceil(-off / sw));
  const hi = Math.max(lo, Math.min(outW, Math.ceil((w - off) / sw)));
  return [lo, hi];
}

/** The ts backend's convolution primitives (im2col + the ts GEMM, per image and group). */
export const tsConvOps: ConvOps = {
  conv2dForward(out, input, weight, bias, g, relu = false) {
    const { cg, kg, taps, plane, outPlane, pointwise } = groupSizes(g);
    const x = tsData(input);
    const b = bias && tsData(bias);
    const col = pointwise ? undefined : scratchFor(taps * outPlane);
    for (let n = 0; n < g.n; n++) {
      for (let grp = 0; grp < g.groups; grp++) {
        const xOffset = (n * g.c + grp * cg) * plane;
        if (col) im2col(col, x, xOffset, cg, g);
        gemm({
          c: out, a: weight, b: col ? view(col) : input, m: kg, n: outPlane, k: taps,
          offsetA: grp * kg * taps, offsetB: col ? 0 : xOffset, offsetC: (n * g.k + grp * kg) * outPlane,
          bias: b && { values: view(b, grp * kg), axis: 'row' },
        });
      }
    }
    if (relu) tsElementwiseOps.unary('relu', out, out, g.n * g.k * g.outH * g.outW);
  },

  conv2dBackwardInput(dInput, dOut, weight, g) {
    const { cg, kg, taps, plane, outPlane, pointwise } = groupSizes(g);
    const dx = tsData(dInput);
    const col = pointwise ? undefined : scratchFor(taps * outPlane);
    if (col) dx.fill(0);
    for (let n = 0; n < g.n; n++) {
      for (let grp = 0; grp < g.groups; grp++) {
        const xOffset = (n * g.c + grp * cg) * plane;
        gemm({
          c: col ? view(col) : dInput, a: weight, b: dOut, m: taps, n: outPlane, k: kg, transA: true,
          offsetA: grp * kg * taps, offsetB: (n * g.k + grp * kg) * outPlane, offsetC: col ? 0 : xOffset,
        });
        if (col) im2col(col, dx, xOffset, cg, g, true);
      }
    }
  },

  conv2dBackwardWeight(dWeight, dBias, dOut, input, g) {
    const { cg, kg, taps, plane, outPlane, pointwise } = groupSizes(g);
    const dw = tsData(dWeight);
    const x = tsData(input);
    const work = scratchFor((pointwise ? 0 : taps * outPlane) + taps * kg);
    const col = pointwise ? undefined : work.subarray(0, taps * outPlane);
    const dwT = view(work, pointwise ? 0 : taps * outPlane, (pointwise ? 0 : taps * outPlane) + taps * kg); // [taps, kg]
    const dwTData = tsData(dwT);
    for (let grp = 0; grp < g.groups; grp++) {
      dwTData.fill(0);
      for (let n = 0; n < g.n; n++) {
        const xOffset = (n * g.c + grp * cg) * plane;
        if (col) im2col(col, x, xOffset, cg, g);
        gemm({
          c: dwT, a: col ? view(col) : input, b: dOut, m: taps, n: kg, k: outPlane, transB: true, accumulate: true,
          offsetA: col ? 0 : xOffset, offsetB: (n * g.k + grp * kg) * outPlane,
        });
      }
      for (let k = 0; k < kg; k++) {
        for (let t = 0; t < taps; t++) dw[(grp * kg + k) * taps + t] = dwTData[t * kg + k];
      }
    }
    if (dBias) {
      const db = tsData(dBias);
      const dy = tsData(dOut);
      for (let k = 0; k < g.k; k++) {
        let sum = 0;
        for (let n = 0; n < g.n; n++) {
          const start = (n * g.k + k) * outPlane;
          for (let p = start; p < start + outPlane; p++) sum += dy[p];
        }
        db[k] = sum;
      }
    }
  },
};

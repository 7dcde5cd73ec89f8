// Typed wrappers for the adaptive pooling kernels (assembly/adaptive-pool2d.ts): the n·c planes are
// split across the thread pool.
import type { AdaptivePool2dGeometry } from '../src/backend/adaptive-pool-ops.js';
import { RATES } from './pool/split.js';
import { runOverRange } from './ranges.js';

/** Runs an adaptive pooling kernel over all planes: its buffers, the sizes, then the plane range. */
function runOverPlanes(kernel: string, buffers: number[], g: AdaptivePool2dGeometry): void {
  const planes = g.n * g.c;
  // Each input element is read about once per output window holding it (once, or twice at overlaps).
  const taps = planes * (g.h * g.w + g.outH * g.outW);
  runOverRange(kernel, [...buffers, g.h, g.w, g.outH, g.outW], planes, taps, RATES.taps);
}

export function adaptiveAvgPool2dForward(out: number, x: number, g: AdaptivePool2dGeometry): void {
  runOverPlanes('f32AdaptiveAvgPool2dForward', [out, x], g);
}

export function adaptiveAvgPool2dBackward(dx: number, dy: number, g: AdaptivePool2dGeometry): void {
  runOverPlanes('f32AdaptiveAvgPool2dBackward', [dx, dy], g);
}

export function adaptiveMaxPool2dForward(out: number, x: number, g: AdaptivePool2dGeometry): void {
  runOverPlanes('f32AdaptiveMaxPool2dForward', [out, x], g);
}

export function adaptiveMaxPool2dBackward(dx: number, dy: number, x: number, g: AdaptivePool2dGeometry): void {
  runOverPlanes('f32AdaptiveMaxPool2dBackward', [dx, dy, x], g);
}

// Typed wrappers for the resize kernels (assembly/resize2d.ts): the tap tables are copied into wasm
// memory, then the planes are split across the thread pool.
import type { Resize2dGeometry, ResizeTaps } from '../src/backend/resize-ops.js';
import { wasm } from './instance.js';
import { f32View, u32View } from './memory.js';
import { RATES } from './pool/split.js';
import { Scratch } from './pool/workspaces.js';
import { runOverRange } from './ranges.js';

interface ResizeExports {
  readonly RESIZE_NEAREST: WebAssembly.Global;
  readonly RESIZE_BILINEAR: WebAssembly.Global;
}

const tables = new Scratch();

/** Writes one axis's taps as the kernel's [4, size] table at byte address `at`. */
function writeTable(at: number, taps: ResizeTaps, size: number): void {
  const words = u32View(at, 2 * size);
  words.set(new Uint32Array(taps.index0.buffer, taps.index0.byteOffset, size), 0);
  words.set(new Uint32Array(taps.index1.buffer, taps.index1.byteOffset, size), size);
  const weights = f32View(at + 8 * size, 2 * size);
  weights.set(taps.weight0.subarray(0, size), 0);
  weights.set(taps.weight1.subarray(0, size), size);
}

function run(kernel: string, buffers: number[], g: Resize2dGeometry): void {
  const exports = wasm<ResizeExports>();
  const [rows] = tables.buffers(16 * (g.outH + g.outW), 1);
  const cols = rows + 16 * g.outH;
  writeTable(rows, g.rows, g.outH);
  writeTable(cols, g.cols, g.outW);
  const mode: number = (g.mode === 'nearest' ? exports.RESIZE_NEAREST : exports.RESIZE_BILINEAR).value;
  const taps = g.planes * (g.outH * g.outW * (g.mode === 'nearest' ? 1 : 4) + g.h * g.w);
  runOverRange(kernel, [mode, ...buffers, g.h, g.w, g.outH, g.outW, rows, cols], g.planes, taps, RATES.taps);
}

export function resize2dForward(out: number, x: number, g: Resize2dGeometry): void {
  run('f32Resize2dForward', [out, x], g);
}

export function resize2dBackward(dx: number, dy: number, g: Resize2dGeometry): void {
  run('f32Resize2dBackward', [dx, dy], g);
}

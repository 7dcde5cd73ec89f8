import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose } from './helpers/data.js';
import fixture from './fixtures/conv2d.json';

// PyTorch 1.13's conv2d on small tensors (tests/fixtures/make_conv2d_fixtures.py): the output and the
// gradients of L = Σ y·dy for a fixed random dy. PyTorch sums in another order, so values agree to
// f32 rounding, bounded here relative to the largest magnitude of each tensor.

interface Case {
  name: string;
  options: { stride: [number, number]; padding: [number, number]; dilation: [number, number]; groups: number };
  xShape: number[]; x: number[];
  weightShape: number[]; weight: number[];
  bias: number[] | null;
  yShape: number[]; y: number[];
  dy: number[];
  dx: number[]; dweight: number[]; dbias: number[] | null;
}

const cases = (fixture as unknown as { cases: Case[] }).cases;

afterEach(() => sn.setBackend('wasm'));

function expectMatches(actual: Float32Array, expected: number[], what: string): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  expectClose(actual, expected, () => 2e-5 * scale, what);
}

describe.each(['wasm', 'ts'] as const)('conv2d on the %s backend matches PyTorch', (backend) => {
  it('has at least 20 fixture configurations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: output and gradients for input, weight and bias', (_, c) => {
    sn.setBackend(backend);
    const x = sn.tensor(c.x, c.xShape);
    const w = sn.tensor(c.weight, c.weightShape);
    const b = c.bias ? sn.tensor(c.bias, [c.bias.length]) : undefined;
    for (const t of [x, w, b]) if (t) t.requiresGrad = true;
    const y = sn.F.conv2d(x, w, b, c.options);
    expect(y.shape).toEqual(c.yShape);
    expectMatches(y.toFloat32Array(), c.y, `${c.name} y`);
    y.backward(sn.tensor(c.dy, c.yShape));
    expectMatches(x.grad!.toFloat32Array(), c.dx, `${c.name} dx`);
    expectMatches(w.grad!.toFloat32Array(), c.dweight, `${c.name} dweight`);
    if (c.dbias) expectMatches(b!.grad!.toFloat32Array(), c.dbias, `${c.name} dbias`);
  });
});

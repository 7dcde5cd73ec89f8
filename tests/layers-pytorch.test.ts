// The layers and tensor ops of issue #10 against PyTorch 1.13 (tests/fixtures/make_layers_fixtures.py):
// outputs and, for loss = Σ y·r, the gradient of every input, on both backends.
import { afterEach, describe, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import fixture from './fixtures/layers.json';
import { expectMatchesCase } from './helpers/op-cases.js';

afterEach(() => sn.setBackend('wasm'));

interface Params {
  dim?: number; dims?: number[]; start?: number; length?: number; end?: number; step?: number;
  pads?: number[]; value?: number;
}

const ops: Record<string, (inputs: Tensor[], p: Params) => Tensor> = {
  permute: ([x], p) => x.permute(p.dims!),
  transpose: ([x], p) => x.transpose(p.dims![0], p.dims![1]),
  narrow: ([x], p) => x.narrow(p.dim!, p.start!, p.length!),
  slice: ([x], p) => x.slice(p.dim!, p.start, p.end, p.step),
  cat: (inputs, p) => sn.cat(inputs, p.dim),
  pad: ([x], p) => sn.F.pad(x, p.pads!, p.value),
  relu6: ([x]) => sn.F.relu6(x),
  silu: ([x]) => sn.F.silu(x),
  gelu: ([x]) => sn.F.gelu(x),
  geluTanh: ([x]) => sn.F.gelu(x, { approximate: 'tanh' }),
  hardswish: ([x]) => sn.F.hardswish(x),
  hardsigmoid: ([x]) => sn.F.hardsigmoid(x),
};

// f32 transcendentals and sums differ from PyTorch's by a few ulp.
const tolerance = (ref: ArrayLike<number>) => (i: number) => 2e-6 + 2e-5 * Math.abs(ref[i]);

describe.each(['wasm', 'ts'] as const)('layers and tensor ops on the %s backend match PyTorch 1.13', (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    sn.setBackend(backend);
    expectMatchesCase(c, (inputs) => ops[c.op](inputs, c.params as Params), tolerance);
  });
});

// The core tensor ops against PyTorch 1.13 (tests/fixtures/make_core_ops_fixtures.py): outputs and,
// for loss = Σ y·r, the gradient of every input, on both backends.
import { afterEach, describe, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import fixture from './fixtures/core-ops.json';
import { expectMatchesCase } from './helpers/op-cases.js';

afterEach(() => sn.setBackend('wasm'));

interface Params { dim?: number | null; slope?: number; exponent?: number; shape?: number[]; startDim?: number }
const dimOf = (p: Params) => p.dim ?? undefined;

const ops: Record<string, (inputs: Tensor[], p: Params) => Tensor> = {
  add: ([a, b]) => sn.add(a, b),
  sub: ([a, b]) => sn.sub(a, b),
  mul: ([a, b]) => sn.mul(a, b),
  div: ([a, b]) => sn.div(a, b),
  relu: ([x]) => sn.F.relu(x),
  leakyRelu: ([x], p) => (p.slope === undefined ? sn.F.leakyRelu(x) : sn.F.leakyRelu(x, p.slope)),
  sigmoid: ([x]) => sn.F.sigmoid(x),
  tanh: ([x]) => sn.F.tanh(x),
  exp: ([x]) => sn.exp(x),
  log: ([x]) => sn.log(x),
  neg: ([x]) => sn.neg(x),
  sqrt: ([x]) => sn.sqrt(x),
  pow: ([x], p) => sn.pow(x, p.exponent as number),
  sum: ([x], p) => x.sum(dimOf(p)),
  mean: ([x], p) => x.mean(dimOf(p)),
  max: ([x], p) => x.max(dimOf(p)),
  argmax: ([x], p) => x.argmax(dimOf(p)),
  softmax: ([x], p) => sn.F.softmax(x, p.dim as number),
  logSoftmax: ([x], p) => sn.F.logSoftmax(x, p.dim as number),
  linear: ([x, w, b]) => sn.F.linear(x, w, b),
  matmul: ([a, b]) => sn.matmul(a, b),
  reshape: ([x], p) => x.reshape(p.shape as number[]),
  flatten: ([x], p) => x.flatten(p.startDim),
};

// f32 transcendentals and sums differ from PyTorch's by a few ulp.
const tolerance = (ref: ArrayLike<number>) => (i: number) => 2e-6 + 2e-5 * Math.abs(ref[i]);

describe.each(['wasm', 'ts'] as const)('core ops on the %s backend match PyTorch 1.13', (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    sn.setBackend(backend);
    expectMatchesCase(c, (inputs) => ops[c.op](inputs, c.params as Params), tolerance);
  });
});

// Runs one case of a fixture written with tests/fixtures/op_cases.py: the op on the case's inputs
// (on the current backend), its output, and the input gradients for loss = Σ y·r.
import { expect } from 'vitest';
import * as sn from '../../src/index.js';
import type { Tensor } from '../../src/tensor.js';
import { expectClose } from './data.js';

export interface OpCase {
  name: string;
  op: string;
  params: unknown;
  inputs: { shape: number[]; values: number[] }[];
  r: number[];
  y: { shape: number[]; values: number[] };
  grads: (number[] | null)[];
}

/** Checks `op`'s output and input gradients against the case, within `tolerance(reference)(i)`. */
export function expectMatchesCase(c: OpCase, op: (inputs: Tensor[]) => Tensor, tolerance: (ref: ArrayLike<number>) => (i: number) => number): void {
  const inputs = c.inputs.map((x, i) => {
    const t = sn.tensor(x.values, x.shape);
    if (c.grads[i]) t.requiresGrad = true;
    return t;
  });
  const y = op(inputs);
  expect(y.shape).toEqual(c.y.shape);
  expectClose(y.toFloat32Array(), c.y.values, tolerance(c.y.values), `${c.name} output`);
  if (!y.requiresGrad) return;
  y.backward(sn.tensor(c.r, c.y.shape));
  c.grads.forEach((g, i) => {
    if (g) expectClose(inputs[i].grad?.toFloat32Array() ?? [], g, tolerance(g), `${c.name} gradient of input ${i}`);
  });
}

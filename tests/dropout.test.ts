import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

/** Dropout of `x` (values, shape [n]) in training mode after seeding, on the current backend. */
function dropped(values: Float32Array, p: number, seed: number): Float32Array {
  sn.manualSeed(seed);
  return sn.F.dropout(sn.tensor(values), p, true).toFloat32Array();
}

describe.each(['wasm', 'ts'] as const)('dropout on the %s backend', (name) => {
  it('gives the same mask for the same seed and another for another seed', () => {
    sn.setBackend(name);
    const x = sn.ones([1000]).toFloat32Array();
    expect(dropped(x, 0.5, 7)).toEqual(dropped(x, 0.5, 7));
    expect(dropped(x, 0.5, 8)).not.toEqual(dropped(x, 0.5, 7));
  });

  it.each([0.1, 0.5, 0.9])('keeps a fraction 1 − p of the elements (p = %f), scaled by 1/(1 − p)', (p) => {
    sn.setBackend(name);
    const n = 100_000;
    const x = randomValues(n, 3).map((v) => v + 2); // no zeros: a zero output means dropped
    const y = dropped(x, p, 11);
    const scale = Math.fround(1 / (1 - p));
    let kept = 0;
    let misScaled = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] === 0) continue;
      kept++;
      if (y[i] !== Math.fround(x[i] * scale)) misScaled++;
    }
    expect(misScaled).toBe(0);
    // Binomial(n, 1 − p): the standard deviation of the kept fraction is below 0.0016; allow 5σ.
    expect(Math.abs(kept / n - (1 - p))).toBeLessThan(0.008);
  });

  it('is the identity (the same tensor) in eval mode or with p = 0', () => {
    sn.setBackend(name);
    const x = sn.tensor([1, 2, 3]);
    expect(sn.F.dropout(x, 0.5, false)).toBe(x);
    expect(sn.F.dropout(x, 0, true)).toBe(x);
  });

  it('gives zeros and zero gradients with p = 1', () => {
    sn.setBackend(name);
    const x = sn.tensor([1, 2, 3, 4, 5]);
    x.requiresGrad = true;
    const y = sn.F.dropout(x, 1, true);
    expect(Array.from(y.toFloat32Array())).toEqual([0, 0, 0, 0, 0]);
    y.backward(sn.ones([5]));
    expect(Array.from(x.grad!.toFloat32Array())).toEqual([0, 0, 0, 0, 0]);
  });

  it('sends the gradient through the same mask as the forward', () => {
    sn.setBackend(name);
    const x = sn.ones([257]);
    x.requiresGrad = true;
    sn.manualSeed(4);
    const y = sn.F.dropout(x, 0.3, true);
    y.backward(sn.full([257], 2));
    const out = y.toFloat32Array();
    expect(Array.from(x.grad!.toFloat32Array())).toEqual(Array.from(out, (v) => 2 * v));
  });
});

describe('dropout across backends', () => {
  it('draws bit-identical masks on wasm and ts for one seed, through the SIMD body and the scalar tail', () => {
    for (const n of [1, 3, 4, 7, 17, 1001]) {
      const x = randomValues(n, n);
      sn.setBackend('wasm');
      const w = dropped(x, 0.6, n);
      sn.setBackend('ts');
      expect(dropped(x, 0.6, n)).toEqual(w);
    }
  });

  it('has the gradient finite differences give (with the mask fixed by the seed)', () => {
    gradcheck((x) => {
      sn.manualSeed(9);
      return sn.F.dropout(x, 0.4, true);
    }, [{ values: randomValues(23, 2), shape: [23] }], { name: 'dropout' });
  });
});

describe('bad input', () => {
  it('p outside [0, 1] is refused with its value', () => {
    const x = sn.zeros([2]);
    expect(() => sn.F.dropout(x, 1.5, true)).toThrow('dropout: p must be in [0, 1], got 1.5');
    expect(() => sn.F.dropout(x, -0.1, false)).toThrow('dropout: p must be in [0, 1], got -0.1');
    expect(() => sn.F.dropout(x, NaN, true)).toThrow('got NaN');
  });
});

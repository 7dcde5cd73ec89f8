import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose, randomValues } from './helpers/data.js';
import fixture from './fixtures/clip_init.json';

afterEach(() => sn.setBackend('wasm'));

const backends = ['wasm', 'ts'] as const;

/** Parameters of the fixture's shapes whose gradients are the given values (null: none). */
function withGrads(shapes: number[][], grads: (number[] | null)[]): sn.Tensor[] {
  return shapes.map((shape, i) => {
    const p = sn.zeros(shape);
    p.requiresGrad = true;
    if (grads[i]) p.grad = sn.tensor(grads[i]!, shape);
    return p;
  });
}

describe.each(backends)('gradient clipping on the %s backend matches PyTorch 1.13', (backend) => {
  it.each(fixture.clip.map((c) => [c.name, c] as const))('%s', (_, c) => {
    sn.setBackend(backend);
    const params = withGrads(c.shapes, c.grads);
    if (c.kind === 'norm') {
      const total = sn.nn.utils.clipGradNorm(params, c.maxNorm!, c.normType as number | 'inf');
      expect(Math.abs(total - c.totalNorm!)).toBeLessThanOrEqual(2e-6 * c.totalNorm!);
    } else {
      sn.nn.utils.clipGradValue(params, c.clipValue!);
    }
    params.forEach((p, i) => {
      const expected = c.after[i];
      if (!expected) return expect(p.grad).toBeUndefined();
      expectClose(p.grad!.toFloat32Array(), expected, (k) => 2e-6 * Math.abs(expected[k]) + 1e-9, `gradient ${i}`);
    });
  });
});

describe('gradient clipping', () => {
  it('gives the same bits on both backends for 1-, 2- and inf-norms, and scales by min(1, maxNorm / (total + 1e-6))', () => {
    for (const normType of [1, 2, Infinity]) {
      const run = (backend: 'wasm' | 'ts') => {
        sn.setBackend(backend);
        const ps = withGrads([[37], [4, 5]], [Array.from(randomValues(37, 1)), Array.from(randomValues(20, 2))]);
        const total = sn.nn.utils.clipGradNorm(ps, 0.5, normType);
        return { total, grads: ps.map((p) => Array.from(p.grad!.toFloat32Array())) };
      };
      const wasm = run('wasm');
      const ts = run('ts');
      expect(Math.abs(wasm.total - ts.total)).toBeLessThanOrEqual(1e-6 * ts.total);
      expect(wasm.grads.flat().map((g, i) => Math.abs(g - ts.grads.flat()[i]) <= 1e-6 * Math.abs(g) + 1e-9).every(Boolean)).toBe(true);
    }
  });

  it('returns 0 and changes nothing when no parameter has a gradient; takes a single tensor', () => {
    const p = sn.zeros([3]);
    p.requiresGrad = true;
    expect(sn.nn.utils.clipGradNorm([p], 1)).toBe(0);
    p.grad = sn.tensor([3, 4, 0]);
    expect(sn.nn.utils.clipGradNorm(p, 1)).toBe(5);
    expectClose(p.grad.toFloat32Array(), [0.6, 0.8, 0], () => 1e-6, 'clipped');
  });

  it("NaN gradients give a NaN norm, or an error with errorIfNonfinite; clipGradValue keeps NaN", () => {
    for (const backend of backends) {
      sn.setBackend(backend);
      const p = sn.zeros([5]);
      p.requiresGrad = true;
      p.grad = sn.tensor([1, NaN, 2, 3, 4]);
      expect(() => sn.nn.utils.clipGradNorm(p, 1, 2, { errorIfNonfinite: true })).toThrow('clipGradNorm: the total norm of order 2 of the gradients is NaN');
      expect(sn.nn.utils.clipGradNorm(p, 1, 'inf')).toBeNaN();
      p.grad = sn.tensor([1, NaN, -2, 0.5, -0.1]);
      sn.nn.utils.clipGradValue(p, 0.5);
      expect(Array.from(p.grad.toFloat32Array())).toEqual([0.5, NaN, -0.5, 0.5, Math.fround(-0.1)]);
    }
  });

  it('bad arguments give errors naming them', () => {
    const p = sn.zeros([2]);
    expect(() => sn.nn.utils.clipGradNorm([p], -1)).toThrow('clipGradNorm: maxNorm must be a number ≥ 0, got -1');
    expect(() => sn.nn.utils.clipGradNorm([p], 1, 0)).toThrow('clipGradNorm: normType must be a number > 0 or Infinity, got 0');
    expect(() => sn.nn.utils.clipGradNorm(5 as never, 1)).toThrow('clipGradNorm: params must be a tensor or an iterable of tensors');
    expect(() => sn.nn.utils.clipGradNorm([p, 3] as never, 1)).toThrow('clipGradNorm: params[1] is not a Tensor');
    expect(() => sn.nn.utils.clipGradValue([p], NaN)).toThrow('clipGradValue: clipValue must be a number ≥ 0, got NaN');
  });
});

describe.each(backends)('sn.nn.init on the %s backend', (backend) => {
  function stats(t: sn.Tensor) {
    const v = t.toFloat32Array();
    let sum = 0;
    let sq = 0;
    let maxAbs = 0;
    for (const x of v) { sum += x; sq += x * x; maxAbs = Math.max(maxAbs, Math.abs(x)); }
    const mean = sum / v.length;
    return { mean, std: Math.sqrt(sq / v.length - mean * mean), maxAbs };
  }

  it.each(fixture.init.map((c) => [`${c.fn} ${JSON.stringify(c.shape)} ${JSON.stringify(c.options)}`, c] as const))('%s follows PyTorch\'s fan and gain rules', (_, c) => {
    sn.setBackend(backend);
    sn.manualSeed(7);
    const t = sn.zeros(c.shape);
    const fn = sn.nn.init[c.fn as 'kaimingUniform' | 'kaimingNormal' | 'xavierUniform' | 'xavierNormal'] as (t: sn.Tensor, o: object) => sn.Tensor;
    expect(fn(t, c.options)).toBe(t);
    const s = stats(t);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * c.std + 3 * c.std / Math.sqrt(t.size));
    expect(Math.abs(s.std / c.std - 1)).toBeLessThan(0.03);
    if (c.bound !== undefined) {
      expect(s.maxAbs).toBeLessThanOrEqual(Math.fround(c.bound));
      expect(s.maxAbs).toBeGreaterThan(0.99 * c.bound);
    }
  });

  it('uniform, normal, constant, zeros and ones; seeded, the same bits on both backends', () => {
    sn.setBackend(backend);
    sn.manualSeed(3);
    const u = sn.nn.init.uniform(sn.zeros([4000]), -2, 3);
    const su = stats(u);
    expect(Math.min(...u.toFloat32Array())).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u.toFloat32Array())).toBeLessThanOrEqual(3);
    expect(Math.abs(su.mean - 0.5)).toBeLessThan(0.1);
    const n = sn.nn.init.normal(sn.zeros([4000]), 1.5, 0.5);
    const sn_ = stats(n);
    expect(Math.abs(sn_.mean - 1.5)).toBeLessThan(0.03);
    expect(Math.abs(sn_.std - 0.5)).toBeLessThan(0.02);
    expect(Array.from(sn.nn.init.constant(sn.zeros([3]), 0.25).toFloat32Array())).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(sn.nn.init.ones(sn.zeros([2])).toFloat32Array())).toEqual([1, 1]);
    expect(Array.from(sn.nn.init.zeros(sn.ones([2])).toFloat32Array())).toEqual([0, 0]);

    sn.manualSeed(11);
    const a = sn.nn.init.kaimingNormal(sn.zeros([20, 7])).toFloat32Array();
    const b = sn.nn.init.xavierUniform(sn.zeros([20, 7])).toFloat32Array();
    sn.setBackend(backend === 'wasm' ? 'ts' : 'wasm');
    sn.manualSeed(11);
    expect(sn.nn.init.kaimingNormal(sn.zeros([20, 7])).toFloat32Array()).toEqual(a);
    expect(sn.nn.init.xavierUniform(sn.zeros([20, 7])).toFloat32Array()).toEqual(b);
  });
});

describe('sn.nn.init details', () => {
  it.each(fixture.gains.map(([n, p, g]) => [n as string, p as number | null, g as number] as const))('calculateGain(%s, %s) is PyTorch\'s', (n, p, g) => {
    expect(sn.nn.init.calculateGain(n as sn.nn.init.Nonlinearity, p ?? undefined)).toBe(g);
  });

  it('fills a parameter in place without recording a graph, and keeps it a leaf', () => {
    const layer = new sn.nn.Linear(10, 4);
    sn.nn.init.kaimingUniform(layer.weight, { nonlinearity: 'relu' });
    expect(layer.weight.isLeaf).toBe(true);
    expect(layer.weight.requiresGrad).toBe(true);
    sn.nn.init.zeros(layer.bias!);
    expect(Array.from(layer.bias!.toFloat32Array())).toEqual([0, 0, 0, 0]);
  });

  it('bad arguments give errors naming them', () => {
    const w = sn.zeros([3, 4]);
    const cases: [() => unknown, string][] = [
      [() => sn.nn.init.kaimingUniform(sn.zeros([5])), 'kaimingUniform: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape [5])'],
      [() => sn.nn.init.kaimingNormal(w, { mode: 'fan' as never }), "kaimingNormal: mode must be 'fan_in' or 'fan_out', got 'fan'"],
      [() => sn.nn.init.kaimingUniform(w, { nonlinearity: 'gelu' as never }), "kaimingUniform: nonlinearity 'gelu' is not supported"],
      [() => sn.nn.init.kaimingUniform(w, { negativeSlope: 0.1 } as never), "kaimingUniform: unknown option 'negativeSlope'; the options are a, mode, nonlinearity"],
      [() => sn.nn.init.xavierNormal(w, { gain: NaN }), 'xavierNormal: gain must be a finite number, got NaN'],
      [() => sn.nn.init.uniform(w, 1, 0), 'uniform: a must not exceed b, got a = 1 and b = 0'],
      [() => sn.nn.init.normal(w, 0, -1), 'normal: std must be ≥ 0, got -1'],
      [() => sn.nn.init.constant(w, '1' as never), "constant: value must be a number, got '1'"],
      [() => sn.nn.init.ones([1, 2] as never), 'ones: expected a tensor to fill (e.g. layer.weight), got 1,2'],
      [() => sn.nn.init.calculateGain('swish' as never), "calculateGain: unsupported nonlinearity 'swish'"],
    ];
    for (const [make, message] of cases) expect(make).toThrow(message);
  });
});

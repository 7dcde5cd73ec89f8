import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import type { Tensor } from '../src/tensor.js';
import { randomValues } from './helpers/data.js';
import { compareBackends, gradcheck } from './helpers/gradcheck.js';
import { erfc } from '../src/backend/ts/erf.js';

afterEach(() => sn.setBackend('wasm'));

const sizes = [1, 3, 7, 17, 63, 65];

/** Values in [-3, 3) kept at least 0.05 away from 0 (the kinks of relu and leakyRelu). */
function awayFromZero(n: number, seed: number): Float32Array {
  return randomValues(n, seed).map((v) => (v < 0 ? v * 3 - 0.05 : v * 3 + 0.05));
}

/** Values in [-scale, scale) moved at least 0.05 away from each kink (where the gradient jumps). */
function awayFrom(kinks: number[], scale: number): (n: number, seed: number) => Float32Array {
  return (n, seed) => randomValues(n, seed).map((v) => {
    const x = v * scale;
    const near = kinks.find((k) => Math.abs(x - k) < 0.05);
    return near === undefined ? x : near + (x < near ? -0.05 : 0.05);
  });
}

/** Positive values in [0.2, 2.2) for log, sqrt and non-integer powers. */
function positive(n: number, seed: number): Float32Array {
  return randomValues(n, seed).map((v) => v + 1.2);
}

// name, op, input maker, tolerance relative to the value (transcendentals differ by an ulp or two).
const unaryCases: [string, (x: Tensor) => Tensor, (n: number, seed: number) => Float32Array][] = [
  ['relu', sn.F.relu, awayFromZero],
  ['leakyRelu', (x) => sn.F.leakyRelu(x), awayFromZero],
  ['leakyRelu(0.2)', (x) => sn.F.leakyRelu(x, 0.2), awayFromZero],
  ['sigmoid', sn.F.sigmoid, awayFromZero],
  ['tanh', sn.F.tanh, awayFromZero],
  ['exp', sn.exp, awayFromZero],
  ['log', sn.log, positive],
  ['neg', sn.neg, awayFromZero],
  ['sqrt', sn.sqrt, positive],
  ['pow 2', (x) => sn.pow(x, 2), awayFromZero],
  ['pow 3', (x) => sn.pow(x, 3), awayFromZero],
  ['pow -0.5', (x) => sn.pow(x, -0.5), positive],
  ['pow 0.5', (x) => sn.pow(x, 0.5), positive],
  ['pow -1', (x) => sn.pow(x, -1), positive],
  ['pow -2', (x) => sn.pow(x, -2), positive],
  ['pow 1.7', (x) => sn.pow(x, 1.7), positive],
  ['relu6', sn.F.relu6, awayFrom([0, 6], 8)],
  ['silu', sn.F.silu, awayFromZero],
  ['gelu', (x) => sn.F.gelu(x), awayFromZero],
  ['gelu tanh', (x) => sn.F.gelu(x, { approximate: 'tanh' }), awayFromZero],
  ['hardswish', sn.F.hardswish, awayFrom([-3, 3], 4.5)],
  ['hardsigmoid', sn.F.hardsigmoid, awayFrom([-3, 3], 4.5)],
];

describe.each(unaryCases)('%s', (name, op, values) => {
  it('gives the same values and gradients on wasm and ts for every awkward size (SIMD body and tail)', () => {
    for (const n of sizes) compareBackends(op, [{ values: values(n, n), shape: [n] }], { name: `${name} [${n}]`, rtol: 4e-7 * 8 });
  });

  it('has the gradient that finite differences give', () => {
    gradcheck(op, [{ values: values(12, 5), shape: [3, 4] }], { name });
  });
});

describe.each(['wasm', 'ts'] as const)('activations on the %s backend', (backend) => {
  it('match PyTorch on hand-worked values', () => {
    sn.setBackend(backend);
    const x = sn.tensor([-2, -0.5, 0, 0.5, 2]);
    expect(sn.F.relu(x).toArray()).toEqual([0, 0, 0, 0.5, 2]);
    expect(sn.F.leakyRelu(x).toArray()).toEqual([-0.02, -0.005, 0, 0.5, 2].map(Math.fround));
    expect(sn.F.leakyRelu(x, 0.5).toArray()).toEqual([-1, -0.25, 0, 0.5, 2]);
    const s = sn.F.sigmoid(x).toFloat32Array();
    [0.11920292, 0.37754067, 0.5, 0.62245935, 0.88079703].forEach((v, i) => expect(s[i]).toBeCloseTo(v, 6));
    const t = sn.F.tanh(x).toFloat32Array();
    [-0.96402758, -0.46211716, 0, 0.46211716, 0.96402758].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 6));
    expect(sn.pow(x, 2).toArray()).toEqual([4, 0.25, 0, 0.25, 4]);
    expect(sn.sqrt(sn.tensor([4, 0, -1])).toArray()).toEqual([2, 0, NaN]);
    expect(sn.log(sn.tensor([1, 0, -1])).toArray()).toEqual([0, -Infinity, NaN]);
    expect(sn.exp(sn.tensor([0, -Infinity])).toArray()).toEqual([1, 0]);
  });

  it('saturate instead of overflowing and propagate NaN as PyTorch does', () => {
    sn.setBackend(backend);
    const big = sn.tensor([-100, 100, -1000, 1000, NaN, NaN, NaN, NaN]);
    // PyTorch's f32 sigmoid: e^100 overflows to Infinity, so sigmoid(−100) is 0; e^88 does not.
    expect(sn.F.sigmoid(big).toArray()).toEqual([0, 1, 0, 1, NaN, NaN, NaN, NaN]);
    expect(sn.F.sigmoid(sn.tensor([-88])).item()).toBeCloseTo(6.054601485195952e-39, 44);
    expect(sn.F.tanh(big).toArray()).toEqual([-1, 1, -1, 1, NaN, NaN, NaN, NaN]);
    expect(sn.F.relu(big).toArray()).toEqual([0, 100, 0, 1000, NaN, NaN, NaN, NaN]);
    expect(Object.is(sn.F.relu(sn.tensor([-0, -0, -0, -0, -0])).toFloat32Array()[4], -0)).toBe(true);
    expect(Object.is(sn.F.relu(sn.tensor([-0, 1, 2, 3])).toFloat32Array()[0], -0)).toBe(true);
    expect(sn.F.leakyRelu(sn.tensor([NaN, -1])).toArray()).toEqual([NaN, -0.01].map(Math.fround));
  });

  it('compute gradients from the saved output or input as PyTorch does at the edges', () => {
    sn.setBackend(backend);
    // relu: gradient 0 at x = 0 (PyTorch's threshold_backward); leakyRelu: slope at 0.
    const gradOf = (f: (x: Tensor) => Tensor) => {
      const x = sn.tensor([-1, 0, 2, -3, 0, 1, 4]);
      x.requiresGrad = true;
      f(x).sum().backward();
      return x.grad?.toArray();
    };
    expect(gradOf(sn.F.relu)).toEqual([0, 0, 1, 0, 0, 1, 1]);
    expect(gradOf((x) => sn.F.leakyRelu(x, 0.1))).toEqual([0.1, 0.1, 1, 0.1, 0.1, 1, 1].map(Math.fround));
    // pow with exponent 0 has gradient 0 (even at x = 0).
    expect(gradOf((x) => sn.pow(x, 0))).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

describe.each(['wasm', 'ts'] as const)('the activations of small CNNs on the %s backend', (backend) => {
  it('match PyTorch 1.13 on hand-worked values, saturating and propagating NaN as it does', () => {
    sn.setBackend(backend);
    const x = sn.tensor([-Infinity, -100, -4, -3, -1, 0.5, 3, 5, 7, Infinity, NaN]);
    expect(sn.F.relu6(x).toArray()).toEqual([0, 0, 0, 0, 0, 0.5, 3, 5, 6, 6, NaN]);
    expect(sn.F.hardsigmoid(x).toArray()).toEqual([0, 0, 0, 0, 2 / 6, 3.5 / 6, 1, 1, 1, 1, NaN].map(Math.fround));
    expect(sn.F.hardswish(x).toArray()).toEqual([NaN, -0, -0, -0, -2 / 6, 1.75 / 6, 3, 5, 7, Infinity, NaN].map(Math.fround));
    const close = (t: Tensor, expected: number[]) => {
      const y = t.toFloat32Array();
      expected.forEach((v, i) => (Number.isNaN(v) ? expect(y[i]).toBeNaN() : expect(y[i]).toBeCloseTo(v, 6)));
    };
    // PyTorch 1.13's values.
    close(sn.F.silu(x), [NaN, -0, -0.0719448, -0.1422776, -0.2689414, 0.3112297, 2.8577225, 4.9665356, 6.9936228, Infinity, NaN]);
    close(sn.F.gelu(x), [NaN, 0, -0.0001267, -0.0040499, -0.1586553, 0.3457312, 2.9959502, 4.9999986, 7, Infinity, NaN]);
    close(sn.F.gelu(x, { approximate: 'tanh' }), [NaN, -0, -0.0000702, -0.0036374, -0.158808, 0.345714, 2.9963627, 4.9999995, 7, Infinity, NaN]);
  });

  it('pass gradients as PyTorch does at the kinks and at NaN', () => {
    sn.setBackend(backend);
    const gradOf = (f: (x: Tensor) => Tensor, values: number[]) => {
      const x = sn.tensor(values);
      x.requiresGrad = true;
      f(x).sum().backward();
      return x.grad?.toArray();
    };
    expect(gradOf(sn.F.relu6, [-1, 0, 3, 6, 7, NaN])).toEqual([0, 0, 1, 0, 0, 1]);
    expect(gradOf(sn.F.hardsigmoid, [-4, -3, 0, 3, 4, NaN])).toEqual([0, 0, 1 / 6, 0, 0, 0].map(Math.fround));
    expect(gradOf(sn.F.hardswish, [-4, -3, 0, 3, 4, NaN])).toEqual([0, -0.5, 0.5, 1.5, 1, 1]);
    expect(gradOf(sn.F.silu, [0])).toEqual([0.5]);
    expect(gradOf(sn.F.gelu, [0])).toEqual([0.5]);
  });
});

describe('the vectorised wasm exp, tanh, log and erf (used by exp, sigmoid, tanh, log, softmax, silu and gelu)', () => {
  /** The spacing of f32 values around v. */
  const ulp = (v: number) => (Math.abs(v) < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(v))) - 23));

  it('is within 2 ulp of the exact value over the whole range, subnormal results included', () => {
    const x = Float32Array.from({ length: 20001 }, (_, i) => -110 + i * 0.01);
    const y = sn.exp(sn.tensor(x)).toFloat32Array();
    x.forEach((v, i) => {
      const exact = Math.exp(v);
      const rounded = Math.fround(exact); // Infinity above the f32 range
      if (y[i] !== rounded && !(Math.abs(y[i] - exact) <= 2 * ulp(exact))) throw new Error(`exp(${v}) = ${y[i]}, exact ${exact}`);
    });
  });

  it('gives Infinity above the f32 range, 0 far below, and keeps NaN', () => {
    expect(sn.exp(sn.tensor([89, 1000, Infinity, -104, -1000, -Infinity, NaN, 0])).toArray()).toEqual([Infinity, Infinity, Infinity, 0, 0, 0, NaN, 1]);
  });

  it('tanh is within 2 ulp of the exact value on both sides of its polynomial/exp switch at 0.625', () => {
    const x = Float32Array.from({ length: 24001 }, (_, i) => -12 + i * 0.001);
    const y = sn.F.tanh(sn.tensor(x)).toFloat32Array();
    x.forEach((v, i) => {
      const exact = Math.tanh(v);
      if (!(Math.abs(y[i] - exact) <= 2 * ulp(exact))) throw new Error(`tanh(${v}) = ${y[i]}, exact ${exact}`);
    });
    const special = sn.F.tanh(sn.tensor([Infinity, -Infinity, NaN, -0, 1e-30, -1e-30, 0.625, -0.625])).toFloat32Array();
    expect(Array.from(special.subarray(0, 3))).toEqual([1, -1, NaN]);
    expect(Object.is(special[3], -0)).toBe(true);
    expect(Array.from(special.subarray(4, 6))).toEqual([1e-30, -1e-30].map(Math.fround));
    expect(special[6]).toBe(-special[7]);
  });

  it('log is within 1 ulp of the exact value from the least subnormal to the largest float', () => {
    const x = Float32Array.from({ length: 30001 }, (_, i) => 2 ** (-149 + (i / 30000) * 276.99));
    const y = sn.log(sn.tensor(x)).toFloat32Array();
    x.forEach((v, i) => {
      const exact = Math.log(v);
      if (!(Math.abs(y[i] - exact) <= ulp(exact))) throw new Error(`log(${v}) = ${y[i]}, exact ${exact}`);
    });
    expect(sn.log(sn.tensor([0, -0, -1, Infinity, -Infinity, NaN, 1])).toArray()).toEqual([-Infinity, -Infinity, NaN, Infinity, NaN, NaN, 0]);
  });

  it('erfc (through gelu = ½·x·erfc(−x/√2)) is within 2e-6 relative of the exact value, tail included', () => {
    const x = Float32Array.from({ length: 10001 }, (_, i) => -5 + i * 0.001);
    const y = sn.F.gelu(sn.tensor(x)).toFloat32Array();
    x.forEach((v, i) => {
      const exact = 0.5 * v * erfc(-v * Math.SQRT1_2);
      if (!(Math.abs(y[i] - exact) <= 2e-6 * Math.abs(exact) + ulp(exact))) throw new Error(`gelu(${v}) = ${y[i]}, exact ${exact}`);
    });
    expect(sn.F.gelu(sn.tensor([-Infinity, Infinity, -100, 100, NaN])).toArray()).toEqual([NaN, Infinity, -0, 100, NaN]);
  });

  it('gives the same bits in the SIMD body as in the scalar tail', () => {
    const x = randomValues(203, 9).map((v) => v * 80);
    const together = sn.exp(sn.tensor(x)).toFloat32Array();
    const sigmoid = sn.F.sigmoid(sn.tensor(x)).toFloat32Array();
    const tanh = sn.F.tanh(sn.tensor(x.map((v) => v / 20))).toFloat32Array();
    const log = sn.log(sn.tensor(x.map(Math.abs))).toFloat32Array();
    x.forEach((v, i) => {
      expect(sn.exp(sn.tensor([v])).item()).toBe(together[i]);
      expect(sn.F.sigmoid(sn.tensor([v])).item()).toBe(sigmoid[i]);
      expect(sn.F.tanh(sn.tensor([v / 20])).item()).toBe(tanh[i]);
      expect(sn.log(sn.tensor([Math.abs(v)])).item()).toBe(log[i]);
    });
  });

  it('silu, gelu and hardswish give the same bits forward and backward in the SIMD body as in the scalar tail', () => {
    const x = randomValues(203, 9).map((v) => v * 8);
    const activations = [sn.F.silu, sn.F.gelu, (t: Tensor) => sn.F.gelu(t, { approximate: 'tanh' }), sn.F.hardswish];
    const valueAndGradient = (f: (t: Tensor) => Tensor, values: ArrayLike<number>) => {
      const t = sn.tensor(values);
      t.requiresGrad = true;
      const y = f(t);
      y.backward(sn.tensor(values));
      return [y.toFloat32Array(), t.grad!.toFloat32Array()];
    };
    for (const f of activations) {
      const [y, g] = valueAndGradient(f, x);
      x.forEach((v, i) => expect(valueAndGradient(f, [v]).map((a) => a[0])).toEqual([y[i], g[i]]));
    }
  });
});

describe('bad input', () => {
  it('names the op when given something other than a tensor or a bad parameter', () => {
    expect(() => sn.F.relu([1, 2] as unknown as Tensor)).toThrow('relu: expected a tensor, got object');
    expect(() => sn.F.leakyRelu(sn.zeros([2]), NaN)).toThrow('leakyRelu: slope must be a number, got NaN');
    expect(() => sn.pow(sn.zeros([2]), sn.zeros([2]) as unknown as number)).toThrow('pow: the exponent must be a number, got object');
    expect(() => sn.F.gelu(sn.zeros([2]), { approximate: 'fast' as 'tanh' })).toThrow(`gelu: approximate must be 'none' or 'tanh', got "fast"`);
  });
});

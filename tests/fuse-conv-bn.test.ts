import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { expectClose, randomValues } from './helpers/data.js';
import { gradcheck } from './helpers/gradcheck.js';

afterEach(() => sn.setBackend('wasm'));

const { fuseConvBnWeights } = sn.nn.utils;
const EPS = 1e-5;

/** A seeded convolution weight [k, c, r, s], conv bias, and batch norm parameters and statistics [k] (positive variances). */
function randomFold(shape: [number, number, number, number], seed: number, convBias = true) {
  const k = shape[0];
  const values = (n: number, offset: number, scale = 1, shift = 0) => Float32Array.from(randomValues(n, seed + offset), (v) => scale * v + shift);
  return {
    convWeight: sn.tensor(values(shape.reduce((a, b) => a * b, 1), 0), shape),
    convBias: convBias ? sn.tensor(values(k, 1)) : undefined,
    runningMean: sn.tensor(values(k, 2, 0.5)),
    runningVar: sn.tensor(values(k, 3, 0.4, 1)),
    bnWeight: sn.tensor(values(k, 4, 0.5, 1)),
    bnBias: sn.tensor(values(k, 5)),
  };
}

type Fold = ReturnType<typeof randomFold>;

function fuse(f: Fold): [sn.Tensor, sn.Tensor] {
  return fuseConvBnWeights(f.convWeight, f.convBias, f.runningMean, f.runningVar, EPS, f.bnWeight, f.bnBias);
}

/** The folded weight and bias as bits. */
function bits([weight, bias]: [sn.Tensor, sn.Tensor]): Uint32Array[] {
  return [weight, bias].map((t) => new Uint32Array(t.toFloat32Array().buffer));
}

// Weights of 1 to 45 floats per output channel: the kernel's SIMD body and scalar tail.
const SHAPES: [number, number, number, number][] = [[3, 1, 1, 1], [4, 2, 1, 1], [5, 1, 3, 3], [2, 5, 3, 3], [7, 3, 1, 5]];

describe.each(['wasm', 'ts'] as const)('sn.nn.utils.fuseConvBnWeights on the %s backend', (backend) => {
  it('gives the same bits from its one kernel (nothing recorded) as from its differentiable ops (gradients recorded)', () => {
    sn.setBackend(backend);
    let seed = 1;
    for (const shape of SHAPES) {
      for (const convBias of [true, false]) {
        for (const learnable of ['convWeight', 'bnWeight', 'bnBias'] as const) {
          const f = randomFold(shape, seed++, convBias);
          const kernel = bits(sn.noGrad(() => fuse(f)));
          f[learnable].requiresGrad = true;
          const folded = fuse(f);
          expect(folded[0].requiresGrad || folded[1].requiresGrad, 'recorded').toBe(true);
          expect(bits(folded), `[${shape.join(', ')}], ${convBias ? 'with' : 'without'} conv bias, ${learnable} learnable`).toEqual(kernel);
        }
      }
    }
  });

  it('is the convolution followed by eval-mode batch norm, within rounding', () => {
    sn.setBackend(backend);
    const f = randomFold([4, 3, 3, 3], 40);
    const x = sn.randn([2, 3, 5, 6]);
    const unfused = sn.F.batchNorm2d(sn.F.conv2d(x, f.convWeight, f.convBias, { padding: 1 }), f.runningMean, f.runningVar, f.bnWeight, f.bnBias, { eps: EPS });
    const fused = sn.F.conv2d(x, ...fuse(f), { padding: 1 });
    const expected = unfused.toFloat32Array();
    expectClose(fused.toFloat32Array(), expected, (i) => 1e-5 + 1e-5 * Math.abs(expected[i]), 'fused convolution');
  });

  it('writes into `out` when nothing is recorded, and gives new tensors when gradients are', () => {
    sn.setBackend(backend);
    const f = randomFold([4, 3, 3, 3], 45);
    const out: [sn.Tensor, sn.Tensor] = [sn.zeros([4, 3, 3, 3]), sn.zeros([4])];
    const written = sn.noGrad(() => fuseConvBnWeights(f.convWeight, f.convBias, f.runningMean, f.runningVar, EPS, f.bnWeight, f.bnBias, out));
    expect(written[0]).toBe(out[0]);
    expect(written[1]).toBe(out[1]);
    expect(bits(written)).toEqual(bits(sn.noGrad(() => fuse(f))));
    f.bnWeight.requiresGrad = true;
    const recorded = fuseConvBnWeights(f.convWeight, f.convBias, f.runningMean, f.runningVar, EPS, f.bnWeight, f.bnBias, out);
    expect(recorded[0]).not.toBe(out[0]);
    expect(recorded[0].requiresGrad).toBe(true);
    expect(() => sn.noGrad(() => fuseConvBnWeights(f.convWeight, f.convBias, f.runningMean, f.runningVar, EPS, f.bnWeight, f.bnBias, [out[1], out[0]])))
      .toThrow('fuseConvBnWeights: out[0] of shape [4] must be [4, 3, 3, 3] for convWeight [4, 3, 3, 3]');
  });

  it('leaves its inputs unchanged', () => {
    sn.setBackend(backend);
    const f = randomFold([3, 2, 3, 3], 50);
    const before = Object.values(f).map((t) => t!.toFloat32Array());
    sn.noGrad(() => fuse(f));
    expect(Object.values(f).map((t) => t!.toFloat32Array())).toEqual(before);
  });
});

describe('sn.nn.utils.fuseConvBnWeights', () => {
  it('gives the same bits on the wasm and ts backends', () => {
    SHAPES.forEach((shape, i) => {
      const [ts, wasm] = (['ts', 'wasm'] as const).map((backend) => {
        sn.setBackend(backend);
        return bits(sn.noGrad(() => fuse(randomFold(shape, 60 + i))));
      });
      expect(wasm, `[${shape.join(', ')}]`).toEqual(ts);
    });
  });

  it('has gradients that agree with finite differences (conv weight and bias, batch norm weight and bias)', () => {
    sn.setBackend('ts'); // gradcheck's backend, for the constants too
    const f = randomFold([3, 2, 3, 3], 70);
    const x = sn.randn([2, 2, 4, 4]);
    gradcheck(
      (w, b, gamma, beta) => sn.F.conv2d(x, ...fuseConvBnWeights(w, b, f.runningMean, f.runningVar, EPS, gamma, beta), { padding: 1 }),
      [f.convWeight, f.convBias!, f.bnWeight, f.bnBias],
      { name: 'fuseConvBnWeights' },
    );
  });

  it('refuses per-channel tensors of the wrong size and operands on different backends', () => {
    const f = randomFold([3, 2, 1, 1], 80);
    expect(() => fuseConvBnWeights(f.convWeight, f.convBias, sn.zeros([4]), f.runningVar, EPS, f.bnWeight, f.bnBias))
      .toThrow('fuseConvBnWeights: runningMean of shape [4] must be [3] for convWeight [3, 2, 1, 1]');
    sn.setBackend('ts');
    const bias = sn.zeros([3]);
    sn.setBackend('wasm');
    expect(() => fuseConvBnWeights(f.convWeight, f.convBias, f.runningMean, f.runningVar, EPS, f.bnWeight, bias))
      .toThrow("fuseConvBnWeights: convWeight and bnBias live on different backends ('wasm' and 'ts')");
  });
});

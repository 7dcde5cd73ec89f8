import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { recordOp } from '../src/autograd.js';
import { expectClose, randomValues } from './helpers/data.js';
import fixture from './fixtures/optim.json';

afterEach(() => sn.setBackend('wasm'));

type OptimizerName = 'SGD' | 'Adam' | 'AdamW';

/** An optimiser by name, with options as the fixture writes them. */
function makeOptimizer(name: OptimizerName, params: sn.Tensor[], options: object): sn.optim.Optimizer {
  if (name === 'SGD') return new sn.optim.SGD(params, options as sn.optim.SGDOptions);
  return new sn.optim[name](params, options as sn.optim.AdamOptions);
}

/** A leaf tensor that requires grad, on the current backend. */
function parameter(values: ArrayLike<number>): sn.Tensor {
  const p = sn.tensor(values);
  p.requiresGrad = true;
  return p;
}

describe.each(['wasm', 'ts'] as const)('optimisers on the %s backend match PyTorch 1.13', (backend) => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: the parameter after each of 5 steps', (_, c) => {
    sn.setBackend(backend);
    const param = parameter(c.initial);
    const opt = makeOptimizer(c.optimizer as OptimizerName, [param], c.options);
    c.grads.forEach((grad, k) => {
      opt.lr = c.lrs[k];
      opt.zeroGrad();
      if (grad) param.grad = sn.tensor(grad);
      opt.step();
      const expected = c.params[k];
      // 1e-6 relative, plus 1e-7 absolute for values that cancelled to near 0: PyTorch's CPU kernels
      // fuse multiply-adds, so they may differ by an ulp of the O(1) operands (6e-8), not of the result.
      expectClose(param.toFloat32Array(), expected, (i) => 1e-6 * Math.abs(expected[i]) + 1e-7, `${c.name}, step ${k + 1}`);
    });
  });
});

describe('the wasm kernels agree with the ts backend', () => {
  const configs: [OptimizerName, object][] = [
    ['SGD', { lr: 0.1 }],
    ['SGD', { lr: 0.05, momentum: 0.9 }],
    ['SGD', { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }],
    ['SGD', { lr: 0.05, momentum: 0.7, dampening: 0.2, weightDecay: 0.1 }],
    ['Adam', { lr: 0.01 }],
    ['Adam', { lr: 0.01, betas: [0.5, 0.9], eps: 1e-4, weightDecay: 0.1 }],
    ['Adam', { lr: 0.01, amsgrad: true }],
    ['AdamW', { lr: 0.01, weightDecay: 0.3 }],
  ];
  // Lengths below, at and across the 4-wide SIMD body, so the scalar tail runs alone and after it.
  it.each([1, 3, 7, 17, 63, 65])('on %i values, for every configuration, over 3 steps', (n) => {
    configs.forEach(([name, options], c) => {
      const run = (backend: 'wasm' | 'ts') => {
        sn.setBackend(backend);
        const param = parameter(randomValues(n, 10 * n + c));
        const opt = makeOptimizer(name, [param], options);
        for (let k = 0; k < 3; k++) {
          const grad = randomValues(n, 1000 * n + 10 * c + k).map((g, i) => (i % 5 === 0 ? 0 : g * 10 ** ((i % 3) - 1)));
          param.grad = sn.tensor(grad);
          opt.step();
        }
        return param.toFloat32Array();
      };
      // The ts backend rounds to f32 only when storing, the kernels after every operation: a few
      // ulps of the O(1) operands apart.
      const expected = run('ts');
      expectClose(run('wasm'), expected, (i) => 1e-6 * (Math.abs(expected[i]) + 1), `${name} ${JSON.stringify(options)} on ${n} values`);
    });
  });

  it('the SIMD body gives the same bits as the scalar tail, for every configuration', () => {
    sn.setBackend('wasm');
    const n = 67;
    configs.forEach(([name, options], c) => {
      const initial = randomValues(n, 500 + c);
      const whole = parameter(initial); // 16 vectors of 4, then a tail of 3
      const singles = Array.from(initial, (v) => parameter([v])); // the scalar tail alone
      const optWhole = makeOptimizer(name, [whole], options);
      const optSingles = makeOptimizer(name, singles, options);
      for (let k = 0; k < 3; k++) {
        const grad = randomValues(n, 600 + 10 * c + k).map((g) => g * 3);
        whole.grad = sn.tensor(grad);
        singles.forEach((p, i) => { p.grad = sn.tensor([grad[i]]); });
        optWhole.step();
        optSingles.step();
      }
      expect(whole.toFloat32Array(), `${name} ${JSON.stringify(options)}`).toEqual(Float32Array.from(singles, (p) => p.item()));
    });
  });
});

describe.each(['wasm', 'ts'] as const)('optimiser behaviour on the %s backend', (backend) => {
  it('uses the learning rate set between steps', () => {
    sn.setBackend(backend);
    const p = parameter([1, 2]);
    const opt = new sn.optim.SGD([p], { lr: 0.1 });
    expect(opt.lr).toBe(0.1);
    p.grad = sn.tensor([0.5, -1]);
    opt.step();
    expect(Array.from(p.toFloat32Array())).toEqual([Math.fround(1 - 0.05), Math.fround(2 + 0.1)]);
    opt.lr = 0.5;
    expect(opt.lr).toBe(0.5);
    opt.step();
    expect(Array.from(p.toFloat32Array())).toEqual([Math.fround(Math.fround(0.95) - 0.25), Math.fround(Math.fround(2.1) + 0.5)]);
    opt.lr = 0;
    opt.step();
    expect(Array.from(p.toFloat32Array())).toEqual([Math.fround(0.7), Math.fround(2.6)]);
  });

  it('zeroGrad drops every gradient, and a step then changes nothing', () => {
    sn.setBackend(backend);
    const a = parameter([1, 2, 3]);
    const b = parameter([4]);
    const opt = new sn.optim.Adam([a, b], { lr: 0.1 });
    a.grad = sn.tensor([1, 1, 1]);
    b.grad = sn.tensor([1]);
    opt.zeroGrad();
    expect(a.grad).toBeUndefined();
    expect(b.grad).toBeUndefined();
    opt.step();
    expect(Array.from(a.toFloat32Array())).toEqual([1, 2, 3]);
    expect(Array.from(b.toFloat32Array())).toEqual([4]);
  });

  it('skips a parameter without a gradient and does not advance its Adam step count', () => {
    sn.setBackend(backend);
    const a = parameter([1, 2]);
    const b = parameter([3, 4, 5]);
    const opt = new sn.optim.Adam([a, b], { lr: 0.1 });
    a.grad = sn.tensor([0.5, -0.5]);
    opt.step();
    opt.step();
    expect(Array.from(b.toFloat32Array())).toEqual([3, 4, 5]);
    // b's first real step must be a first step (bias corrections at t = 1), as on a fresh optimiser.
    const fresh = parameter([3, 4, 5]);
    const reference = new sn.optim.Adam([fresh], { lr: 0.1 });
    for (const [param, optimizer] of [[b, opt], [fresh, reference]] as const) {
      param.grad = sn.tensor([0.25, -2, 0]);
      optimizer.step();
    }
    expect(b.toFloat32Array()).toEqual(fresh.toFloat32Array());
  });

  it('updates the parameter storage in place without recording a graph', () => {
    sn.setBackend(backend);
    const p = parameter([1, -1, 0.5, 2, 3]);
    const alias = p.detach(); // shares the storage
    const storage = p.storage;
    const opt = new sn.optim.SGD([p], { lr: 1, momentum: 0.5 });
    p.grad = sn.tensor([1, 1, 1, 1, 1]);
    opt.step();
    expect(p.storage).toBe(storage);
    expect(Array.from(alias.toFloat32Array())).toEqual([0, -2, -0.5, 1, 2]);
    expect(p.isLeaf).toBe(true);
    expect(p.gradFn).toBeUndefined();
    expect(p.requiresGrad).toBe(true);
  });

  it.each([
    ['SGD with nesterov momentum', (w: sn.Tensor) => new sn.optim.SGD([w], { lr: 0.01, momentum: 0.9, nesterov: true })],
    ['Adam', (w: sn.Tensor) => new sn.optim.Adam([w], { lr: 0.05 })],
    ['AdamW without decay', (w: sn.Tensor) => new sn.optim.AdamW([w], { lr: 0.05, weightDecay: 0 })],
  ] as const)('%s fits a least-squares problem from gradients made by backward()', (_, make) => {
    sn.setBackend(backend);
    const x = sn.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [1, -1]]);
    const y = sn.matmul(x, sn.tensor([0.5, -1])); // the solution is w = [0.5, -1]
    const w = parameter([0, 0]);
    const opt = make(w);
    for (let k = 0; k < 1000; k++) {
      opt.zeroGrad();
      const r = sn.sub(sn.matmul(x, w), y);
      sn.mean(sn.mul(r, r)).backward();
      opt.step();
    }
    expectClose(w.toFloat32Array(), [0.5, -1], () => 1e-3, 'fitted weights');
  });

  it('takes any iterable of parameters, such as a generator', () => {
    sn.setBackend(backend);
    const a = parameter([1]);
    const b = parameter([2]);
    function* params() { yield a; yield b; }
    const opt = new sn.optim.AdamW(params());
    expect(opt.params).toEqual([a, b]);
    expect(opt.lr).toBe(1e-3);
  });
});

describe('bad options and parameters are refused with the option and the value named', () => {
  const p = () => parameter([1, 2]);

  it('a negative or missing learning rate', () => {
    expect(() => new sn.optim.SGD([p()], { lr: -0.1 })).toThrow('SGD: lr must be a number ≥ 0, got -0.1');
    expect(() => new sn.optim.SGD([p()], {} as sn.optim.SGDOptions)).toThrow('SGD: lr must be a number ≥ 0, got undefined');
    expect(() => new sn.optim.Adam([p()], { lr: NaN })).toThrow('Adam: lr must be a number ≥ 0, got NaN');
    const opt = new sn.optim.AdamW([p()], { lr: 0.01 });
    expect(() => { opt.lr = -1; }).toThrow(sn.SimdnnError);
    expect(() => { opt.lr = -1; }).toThrow('AdamW: lr must be a number ≥ 0, got -1');
    expect(opt.lr).toBe(0.01);
  });

  it('negative momentum, nesterov without momentum or with dampening', () => {
    expect(() => new sn.optim.SGD([p()], { lr: 0.1, momentum: -0.9 })).toThrow('SGD: momentum must be a number ≥ 0, got -0.9');
    expect(() => new sn.optim.SGD([p()], { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov = true needs momentum > 0 and dampening = 0, got momentum 0 and dampening 0');
    expect(() => new sn.optim.SGD([p()], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow('got momentum 0.9 and dampening 0.1');
  });

  it('betas outside [0, 1), negative eps or weight decay', () => {
    expect(() => new sn.optim.Adam([p()], { betas: [1, 0.999] })).toThrow('Adam: betas must be two numbers in [0, 1), got [1, 0.999]');
    expect(() => new sn.optim.AdamW([p()], { betas: [0.9, -0.1] })).toThrow('AdamW: betas must be two numbers in [0, 1), got [0.9, -0.1]');
    expect(() => new sn.optim.Adam([p()], { eps: -1e-8 })).toThrow('Adam: eps must be a number ≥ 0, got -1e-8');
    expect(() => new sn.optim.SGD([p()], { lr: 0.1, weightDecay: -1 })).toThrow('SGD: weightDecay must be a number ≥ 0, got -1');
    expect(() => new sn.optim.AdamW([p()], { weightDecay: -0.01 })).toThrow('AdamW: weightDecay must be a number ≥ 0, got -0.01');
  });

  it('an empty parameter list, a tensor that does not require grad, a non-leaf, a repeat', () => {
    expect(() => new sn.optim.SGD([], { lr: 0.1 })).toThrow('SGD: params is an empty list');
    expect(() => new sn.optim.Adam([p(), sn.zeros([2, 3])])).toThrow('Adam: params[1] of shape [2, 3] does not require grad; set requiresGrad = true on it');
    const leaf = p();
    const derived = recordOp('scale', sn.zeros([2]), [leaf], () => [undefined]);
    expect(() => new sn.optim.Adam([derived])).toThrow('Adam: params[0] of shape [2] is not a leaf tensor (it was produced by scale)');
    expect(() => new sn.optim.SGD([leaf, leaf], { lr: 0.1 })).toThrow('SGD: params[1] of shape [2] appears more than once');
    expect(() => new sn.optim.SGD([leaf, 3 as unknown as sn.Tensor], { lr: 0.1 })).toThrow('SGD: params[1] is not a Tensor (got 3)');
  });

  it('a gradient whose shape or backend differs from its parameter', () => {
    const a = p();
    const opt = new sn.optim.SGD([a], { lr: 0.1 });
    a.grad = sn.zeros([3]);
    expect(() => opt.step()).toThrow("SGD.step: params[0] of shape [2] on 'wasm' has a gradient of shape [3] on 'wasm'");
    sn.setBackend('ts');
    a.grad = sn.zeros([2]);
    expect(() => opt.step()).toThrow("SGD.step: params[0] of shape [2] on 'wasm' has a gradient of shape [2] on 'ts'");
  });
});

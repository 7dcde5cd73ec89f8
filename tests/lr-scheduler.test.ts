import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { cos } from '../src/exact-math.js';
import { expectClose } from './helpers/data.js';
import fixture from './fixtures/lr_scheduler.json';

afterEach(() => sn.setBackend('wasm'));

const S = sn.optim.lrScheduler;
type SchedulerName = 'StepLR' | 'MultiStepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'OneCycleLR' | 'ReduceLROnPlateau';

function parameter(values: ArrayLike<number>): sn.Tensor {
  const p = sn.tensor(values);
  p.requiresGrad = true;
  return p;
}

function makeOptimizer(name: string, params: sn.Tensor[], options: object): sn.optim.Optimizer {
  if (name === 'SGD') return new sn.optim.SGD(params, options as sn.optim.SGDOptions);
  return new sn.optim[name as 'Adam' | 'AdamW'](params, options as sn.optim.AdamOptions);
}

function makeScheduler(type: string, optimizer: sn.optim.Optimizer, options: object): sn.optim.lrScheduler.LrScheduler {
  const Class = S[type as SchedulerName] as unknown as new (o: sn.optim.Optimizer, options: object) => sn.optim.lrScheduler.LrScheduler;
  return new Class(optimizer, options);
}

function momentumOf(optimizer: sn.optim.Optimizer): number {
  return optimizer instanceof sn.optim.SGD ? optimizer.momentum : (optimizer as sn.optim.Adam).betas[0];
}

/** Relative 1e-14 (cos is fdlibm's, glibc's may differ in the last bit) plus 1e-18 absolute near 0. */
const tolerance = (expected: ArrayLike<number>) => (i: number) => 1e-14 * Math.abs(expected[i]) + 1e-18;

type Case = (typeof fixture.cases)[number] & { metrics?: number[]; initial?: number[]; grads?: number[][]; params?: number[][] };

describe.each(['wasm', 'ts'] as const)('schedulers on the %s backend follow PyTorch 1.13', (backend) => {
  it.each((fixture.cases as Case[]).map((c) => [c.name, c] as const))('%s', (_, c) => {
    sn.setBackend(backend);
    const param = parameter(c.initial ?? [0, 0, 0, 0, 0, 0]);
    const optimizer = makeOptimizer(c.optimizer, [param], c.optimizerOptions);
    const schedulers = c.schedulers.map((s) => makeScheduler(s.type, optimizer, s.options));
    const lrs = [optimizer.lr];
    const momenta = [momentumOf(optimizer)];
    const params: Float32Array[] = [];
    for (let k = 0; k < c.steps; k++) {
      if (c.grads) {
        param.grad = sn.tensor(c.grads[k]);
        optimizer.step();
        params.push(param.toFloat32Array());
      }
      for (const s of schedulers) s.needsMetric ? s.step(c.metrics![k]) : s.step();
      lrs.push(optimizer.lr);
      momenta.push(momentumOf(optimizer));
      expect(schedulers.at(-1)!.lastLr).toBe(optimizer.lr);
    }
    expectClose(lrs, c.lrs, tolerance(c.lrs), 'learning rates');
    expectClose(momenta, c.momenta, tolerance(c.momenta), 'momenta');
    c.params?.forEach((expected, k) => expectClose(params[k], expected, (i) => 1e-6 * Math.abs(expected[i]) + 1e-7, `parameters after step ${k + 1}`));
  });
});

describe('scheduler details', () => {
  function sgd(lr = 0.1, momentum = 0): sn.optim.SGD {
    return new sn.optim.SGD([parameter([1, 2])], { lr, momentum });
  }

  it('cos matches the values PyTorch computed for CosineAnnealingLR within an ulp', () => {
    expect(cos(0)).toBe(1);
    expect(cos(3.141592653589793)).toBe(-1);
    expect(cos(-1e-9)).toBe(1);
    expect(Math.abs(cos(1e6) - 0.9367521275331447)).toBeLessThan(2e-16);
    expect(cos(Infinity)).toBeNaN();
    for (let k = -20; k <= 20; k++) expect(Math.abs(cos(k * 0.7) - Math.cos(k * 0.7))).toBeLessThanOrEqual(2.3e-16);
  });

  it('give the same bits in every engine (this hash was taken in Node; the browser project checks Chromium)', () => {
    // cos comes from src/exact-math.ts (IEEE +, −, ×, / only), so no engine's Math.cos decides a rate.
    const values: number[] = [];
    const opt = sgd(0.1, 0.9);
    const cosine = new S.CosineAnnealingLR(opt, { tMax: 37, etaMin: 1e-4 });
    for (let i = 0; i < 300; i++) { cosine.step(); values.push(opt.lr); }
    const adam = new sn.optim.Adam([parameter([1])], { lr: 0.1 });
    const oneCycle = new S.OneCycleLR(adam, { maxLr: 0.3, totalSteps: 97, threePhase: true });
    for (let i = 0; i < 97; i++) { oneCycle.step(); values.push(adam.lr, adam.betas[0]); }
    let hash = 0x811c9dc5; // FNV-1a over the f64 bytes
    for (const byte of new Uint8Array(Float64Array.from(values).buffer)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    expect(hash.toString(16)).toBe('352369fb');
  });

  it('OneCycleLR refuses a step past totalSteps, leaving its state as it was', () => {
    const opt = sgd();
    const s = new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) s.step();
    const lr = opt.lr;
    expect(() => s.step()).toThrow('OneCycleLR.step: tried to step 5 times; the schedule has totalSteps = 3');
    expect(opt.lr).toBe(lr);
    expect(s.lastEpoch).toBe(3);
  });

  it('OneCycleLR names a phase that spans no steps', () => {
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow('OneCycleLR: phase 1 of the schedule spans no steps');
  });

  it('OneCycleLR with linear annealing may set a negative rate after its last step, as PyTorch does', () => {
    const opt = sgd();
    const s = new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 4, annealStrategy: 'linear', cycleMomentum: false });
    for (let i = 0; i < 4; i++) s.step();
    expect(opt.lr).toBeLessThan(0);
    expect(s.lastLr).toBe(opt.lr);
  });

  it('a scheduler built after another keeps the first one\'s initial rate (PyTorch\'s initial_lr)', () => {
    const opt = sgd(0.1);
    const step = new S.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    step.step();
    const cosine = new S.CosineAnnealingLR(opt, { tMax: 4 });
    expect(cosine.baseLr).toBe(0.1);
    expect(opt.lr).toBe(0.05);
  });

  it('ReduceLROnPlateau needs a metric, the others refuse one', () => {
    const opt = sgd();
    const plateau = new S.ReduceLROnPlateau(opt);
    expect(plateau.needsMetric).toBe(true);
    expect(() => plateau.step()).toThrow('ReduceLROnPlateau.step: metric must be the monitored value (a number, e.g. the validation loss), got undefined');
    const step = new S.StepLR(opt, { stepSize: 2 });
    expect(step.needsMetric).toBe(false);
    expect(() => step.step(0.5)).toThrow('StepLR.step: takes no metric (only ReduceLROnPlateau does), got 0.5');
    expect(plateau.lastLr).toBe(0.1);
  });

  describe('resume from a state dict through JSON, continuing the same sequence', () => {
    const makers: [string, (opt: sn.optim.Optimizer) => sn.optim.lrScheduler.LrScheduler][] = [
      ['StepLR', (o) => new S.StepLR(o, { stepSize: 3, gamma: 0.5 })],
      ['MultiStepLR', (o) => new S.MultiStepLR(o, { milestones: [2, 4, 4, 9], gamma: 0.3 })],
      ['ExponentialLR', (o) => new S.ExponentialLR(o, { gamma: 0.9 })],
      ['CosineAnnealingLR', (o) => new S.CosineAnnealingLR(o, { tMax: 5, etaMin: 0.001 })],
      ['OneCycleLR', (o) => new S.OneCycleLR(o, { maxLr: 0.5, totalSteps: 20, threePhase: true })],
      ['ReduceLROnPlateau', (o) => new S.ReduceLROnPlateau(o, { patience: 1, cooldown: 1, mode: 'max' })],
    ];
    const metric = (k: number) => [0.5, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8][k % 15];
    it.each(makers)('%s', (_, make) => {
      const run = (opt: sn.optim.SGD, s: sn.optim.lrScheduler.LrScheduler, from: number, to: number) => {
        const out: number[] = [];
        for (let k = from; k < to; k++) {
          if (s.needsMetric) s.step(metric(k));
          else s.step();
          out.push(opt.lr, opt.momentum);
        }
        return out;
      };
      const straight = sgd(0.1, 0.9);
      const whole = run(straight, make(straight), 0, 14);

      const first = sgd(0.1, 0.9);
      const firstScheduler = make(first);
      const head = run(first, firstScheduler, 0, 6);
      const saved = JSON.parse(JSON.stringify(firstScheduler.stateDict()));
      const resumedOpt = sgd(0.1, 0.9);
      const resumed = make(resumedOpt);
      resumed.loadStateDict(saved);
      resumedOpt.lr = first.lr; // the optimiser's own state travels separately
      resumedOpt.momentum = first.momentum;
      expect(resumed.lastLr).toBe(first.lr);
      const tail = run(resumedOpt, resumed, 6, 14);
      expect([...head, ...tail]).toEqual(whole);
    });
  });

  it('loadStateDict lists every problem and changes nothing', () => {
    const opt = sgd();
    const s = new S.StepLR(opt, { stepSize: 3 });
    const state = { ...new S.ExponentialLR(sgd(), { gamma: 0.5 }).stateDict(), lastEpoch: 1.5, extra: 1 };
    expect(() => s.loadStateDict(state)).toThrow("StepLR.loadStateDict: it was saved by 'ExponentialLR', not StepLR; lastEpoch must be an integer, got 1.5; missing key stepSize; unexpected key extra");
    expect(s.lastEpoch).toBe(0);
    const plateau = new S.ReduceLROnPlateau(opt);
    const saved = plateau.stateDict();
    expect(saved.best).toBe('Infinity');
    expect(() => plateau.loadStateDict({ ...saved, best: 'lots' })).toThrow("ReduceLROnPlateau.loadStateDict: best must be a number, 'Infinity' or '-Infinity', got 'lots'");
  });

  it('bad options give errors naming the option', () => {
    const opt = sgd();
    const cases: [() => unknown, string][] = [
      [() => new S.StepLR(opt, { stepSize: 0 }), 'StepLR: stepSize must be a positive integer, got 0'],
      [() => new S.StepLR(opt, { stepSize: 2, gamma: NaN }), 'StepLR: gamma must be a finite number, got NaN'],
      [() => new S.StepLR(opt, { step_size: 2 } as never), "StepLR: unknown option 'step_size'; the options are stepSize, gamma"],
      [() => new S.StepLR(opt, undefined as never), 'StepLR: options must be an object (stepSize, gamma), got undefined'],
      [() => new S.StepLR({ lr: 0.1 } as never, { stepSize: 2 }), 'StepLR: the first argument must be an sn.optim optimiser (SGD, Adam, AdamW), got Object'],
      [() => new S.MultiStepLR(opt, { milestones: [1, -2] }), 'MultiStepLR: milestones must be an array of integers ≥ 0, got [1, -2]'],
      [() => new S.ExponentialLR(opt, {} as never), 'ExponentialLR: gamma must be a finite number, got undefined'],
      [() => new S.CosineAnnealingLR(opt, { tMax: 0 }), 'CosineAnnealingLR: tMax must be a positive number of steps, got 0'],
      [() => new S.CosineAnnealingLR(opt, { tMax: 5, etaMin: -1 }), 'CosineAnnealingLR: etaMin must be a finite number ≥ 0, got -1'],
      [() => new S.OneCycleLR(opt, { maxLr: 0.1 }), 'OneCycleLR: give totalSteps, or epochs and stepsPerEpoch'],
      [() => new S.OneCycleLR(opt, { maxLr: 0.1, epochs: 2 }), 'OneCycleLR: stepsPerEpoch must be a positive integer (or give totalSteps), got undefined'],
      [() => new S.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 2.5 }), 'OneCycleLR: totalSteps must be a positive integer, got 2.5'],
      [() => new S.OneCycleLR(opt, { maxLr: -1, totalSteps: 5 }), 'OneCycleLR: maxLr must be a positive number, got -1'],
      [() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 5, pctStart: 1.5 }), 'OneCycleLR: pctStart must be a number in [0, 1], got 1.5'],
      [() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 5, annealStrategy: 'exp' as never }), "OneCycleLR: annealStrategy must be 'cos' or 'linear', got 'exp'"],
      [() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 5, maxMomentum: 1 }), 'OneCycleLR: maxMomentum must be a number in [0, 1), got 1'],
      [() => new S.OneCycleLR(opt, { maxLr: 1, totalSteps: 5, divFactor: 0 }), 'OneCycleLR: divFactor must be a positive number, got 0'],
      [() => new S.ReduceLROnPlateau(opt, { mode: 'lowest' as never }), "ReduceLROnPlateau: mode must be 'min' or 'max', got 'lowest'"],
      [() => new S.ReduceLROnPlateau(opt, { factor: 1 }), 'ReduceLROnPlateau: factor must be a number in [0, 1), got 1'],
      [() => new S.ReduceLROnPlateau(opt, { patience: -1 }), 'ReduceLROnPlateau: patience must be an integer ≥ 0, got -1'],
      [() => new S.ReduceLROnPlateau(opt, { thresholdMode: 'pct' as never }), "ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got 'pct'"],
      [() => new S.ReduceLROnPlateau(opt, { cooldown: 0.5 }), 'ReduceLROnPlateau: cooldown must be an integer ≥ 0, got 0.5'],
      [() => new S.ReduceLROnPlateau(opt, { minLr: -0.1 }), 'ReduceLROnPlateau: minLr must be a finite number ≥ 0, got -0.1'],
      [() => new S.ReduceLROnPlateau(opt, { min_lr: 0.1 } as never), "ReduceLROnPlateau: unknown option 'min_lr'"],
    ];
    for (const [make, message] of cases) expect(make).toThrow(message);
  });

  it('setting momentum or betas checks the value', () => {
    const opt = sgd();
    expect(() => { opt.momentum = -1; }).toThrow('SGD: momentum must be a number ≥ 0, got -1');
    const adam = new sn.optim.Adam([parameter([1])]);
    expect(() => { adam.betas = [1, 0.9]; }).toThrow('Adam: betas must be two numbers in [0, 1), got [1, 0.9]');
  });
});

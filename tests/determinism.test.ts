/// <reference types="vite/client" />
import { afterAll, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { BATCH_SIZE, STEPS, seededTraining, seededTrainingOnThreads } from './helpers/seeded-training.js';

/**
 * The seeded run must give the same bits in every engine: everything that decides bits on the wasm
 * backend runs inside wasm or in exact JS arithmetic. In the browser project the run's hashes are
 * compared with the same run done in the Node process of this vitest session (a browser command,
 * see vitest.config.ts), so Chromium is checked against Node from the same checkout, both on 2 threads
 * (the browser project's pages are cross-origin isolated, so they can share wasm memory). The data is
 * tests/fixtures/mnist-slice.json, written by tests/fixtures/make_determinism_fixture.mjs.
 */
const inBrowser = typeof window !== 'undefined';
const defaultThreads = sn.getNumThreads();
afterAll(() => sn.setNumThreads(defaultThreads));

/**
 * JS `Math` functions that are exact (correctly rounded or integral) in every engine, and its
 * constants (PI, SQRT2, …: the language fixes each as one Number).
 */
const EXACT_MATH = new Set(['abs', 'ceil', 'clz32', 'floor', 'fround', 'imul', 'max', 'min', 'round', 'sign', 'sqrt', 'trunc', 'E', 'LN2', 'LN10', 'LOG2E', 'LOG10E', 'PI', 'SQRT1_2', 'SQRT2']);

/** The library's sources except the ts backend (which may use any `Math` function), read by Vite in both projects. */
const sources = import.meta.glob<string>(['../src/**/*.ts', '../bindings/*.ts', '!../src/backend/ts/**'], { query: '?raw', import: 'default', eager: true });

describe('bit-identical training across engines', () => {
  it('use no JS Math function that engines may round differently (exp, log, pow …) outside the ts backend', () => {
    const uses = Object.entries(sources).flatMap(([file, text]) => text.split('\n').flatMap((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return []; // comments
      return [...line.matchAll(/\bMath\.(\w+)/g)].filter(([, name]) => !EXACT_MATH.has(name)).map(([use]) => `${file}:${i + 1}: ${use}`);
    }));
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(uses).toEqual([]);
  });

  it(`train LeNet for ${STEPS} seeded steps of ${BATCH_SIZE} MNIST images, learning`, async () => {
    const run = await seededTraining();
    expect(run.losses).toHaveLength(STEPS);
    expect(run.losses.at(-1)).toBeLessThan(run.losses[0]);
  });

  // Issue #13: the portable kernels (useDeterministicAlgorithms) give the same bits in every engine;
  // the default relaxed-SIMD ones give the same bits between engines that both fuse multiply-adds,
  // as Node (which sets --experimental-wasm-relaxed-simd for itself) and Chromium do on one x86-64 machine.
  it.runIf(inBrowser).each([
    ['the portable kernels (useDeterministicAlgorithms(true))', true, 'simd128'],
    ['the default relaxed-SIMD kernels, on the same machine', false, 'relaxed-simd'],
  ])('give in Chromium exactly the weights, outputs and losses Node gives, both on 2 threads, with %s', async (_, deterministic, variant) => {
    const { commands } = await import('vitest/browser');
    const node = await (commands as unknown as { nodeTrainingHashes(threads: number, deterministic: boolean): Promise<unknown> }).nodeTrainingHashes(2, deterministic);
    const chromium = await seededTrainingOnThreads(2, deterministic);
    expect(chromium).toMatchObject({ threads: 2, variant });
    expect(chromium).toEqual(node);
  });

  it('give the same hashes when the run is repeated in the same engine', async () => {
    const [a, b] = [await seededTraining(), await seededTraining()];
    expect(b).toEqual(a);
  });
});

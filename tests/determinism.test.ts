/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { BATCH_SIZE, STEPS, seededTraining } from './helpers/seeded-training.js';

/**
 * The hashes every JavaScript engine must produce (this file runs in Node and in Chromium, so one
 * expected value checks both). Everything that decides bits on the wasm backend runs inside wasm or
 * in exact JS arithmetic, so the hashes change only when a kernel changes its arithmetic on purpose
 * (another summation order, another exp). Then regenerate: run
 * `npx vitest run --project node tests/determinism.test.ts`, copy the hashes printed in the failure
 * into EXPECTED, and check that `--project browser` passes with them unchanged. The data is
 * tests/fixtures/mnist-slice.json, written by tests/fixtures/make_determinism_fixture.mjs.
 */
const EXPECTED = {
  weights: 'f01a52ea23e8bde63a534c506c5afd5d6e3ca4f653d4a37d52c9214a6603af27',
  outputs: '271cba7e2414d15b548cb624295254142c61b6df5843d4f1c76155aa6910cfb1',
};

/** JS `Math` functions that are exact (correctly rounded or integral) in every engine. */
const EXACT_MATH = new Set(['abs', 'ceil', 'clz32', 'floor', 'fround', 'imul', 'max', 'min', 'round', 'sign', 'sqrt', 'trunc']);

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

  it(`train LeNet for ${STEPS} seeded steps of ${BATCH_SIZE} MNIST images to the committed weight and output hashes`, async () => {
    const run = await seededTraining();
    expect(run.losses).toHaveLength(STEPS);
    expect(run.losses.at(-1)).toBeLessThan(run.losses[0]);
    expect({ weights: run.weights, outputs: run.outputs }).toEqual(EXPECTED);
  });

  it('give the same hashes when the run is repeated in the same engine', async () => {
    const [a, b] = [await seededTraining(), await seededTraining()];
    expect(b).toEqual(a);
  });
});

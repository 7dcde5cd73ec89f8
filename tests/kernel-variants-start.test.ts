import { expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { readyThreads } from '../bindings/pool/pool.js';
import { randomValues } from './helpers/data.js';

/**
 * Issue #13: where the relaxed-SIMD kernels come from when the backend starts. Node embeds them, so
 * the synchronous start already has them. Browsers load them as a separate chunk in `sn.ready()` (or
 * setNumThreads) only: a page that starts synchronously runs the portable kernels, on workers started
 * without the relaxed module, until it awaits ready(), which loads the kernels and replaces those
 * workers. Each test file runs in a fresh page, so this file sees the backend's start.
 */
const inBrowser = typeof window !== 'undefined';

/** A product large enough to be split across threads, as raw bits. */
function productBits(): Uint32Array {
  const [a, b] = [sn.tensor(randomValues(300 * 200, 1), [300, 200]), sn.tensor(randomValues(200 * 310, 2), [200, 310])];
  return new Uint32Array(sn.matmul(a, b).toFloat32Array().buffer);
}

it.runIf(!inBrowser)('has the relaxed-SIMD kernels from the synchronous start in Node', () => {
  expect(sn.kernelInfo()).toMatchObject({ variant: 'relaxed-simd', relaxedSimd: true });
});

it.runIf(inBrowser)('runs the portable kernels after a synchronous start in a browser, and the relaxed ones once ready() loaded them', async () => {
  const before = productBits(); // the synchronous start; the pool starts its workers in the background
  expect(sn.kernelInfo()).toMatchObject({ variant: 'simd128', relaxedSimd: false, relaxedSimdUnavailable: expect.stringMatching(/sn\.ready\(\)/) });
  await expect.poll(() => readyThreads(), { timeout: 10_000 }).toBe(sn.getNumThreads());
  expect(productBits()).toEqual(before);

  await sn.ready();
  expect(sn.kernelInfo()).toMatchObject({ variant: 'relaxed-simd', relaxedSimd: true, relaxedSimdUnavailable: undefined });
  const threaded = productBits(); // on the workers that replaced those started without the relaxed kernels
  expect(readyThreads()).toBe(sn.getNumThreads());
  await sn.setNumThreads(1);
  expect(productBits()).toEqual(threaded);
  sn.useDeterministicAlgorithms(true);
  expect(productBits()).toEqual(before);
  sn.useDeterministicAlgorithms(false);
});

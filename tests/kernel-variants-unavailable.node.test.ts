import { describe, expect, it, vi } from 'vitest';
import * as sn from '../src/index.js';
import type { RelaxedSimdHost } from '../bindings/relaxed-simd.js';
import { randomValues } from './helpers/data.js';

/**
 * Issue #13: an engine that does not validate relaxed SIMD runs the portable kernels and says why.
 * The Node host is replaced by one whose engine refuses the relaxed module (Node 20 and 22 here
 * accept it, with or without the flag the real host sets).
 */
const REFUSED = 'this engine does not validate relaxed-SIMD wasm';
vi.mock('../bindings/relaxed-simd.node.ts', () => {
  const refusing: RelaxedSimdHost = {
    loadSync: () => ({ unavailable: REFUSED }),
    load: async () => ({ unavailable: REFUSED }),
  };
  return { relaxedSimdHost: refusing };
});

describe('without relaxed SIMD', () => {
  it('runs the portable kernels and kernelInfo() says why', async () => {
    await sn.ready();
    expect(sn.kernelInfo()).toMatchObject({
      variant: 'simd128', deterministic: false, relaxedSimd: false, fusedMultiplyAdd: undefined, relaxedSimdUnavailable: REFUSED,
    });
  });

  it('gives the same bits as deterministic mode, on every thread', async () => {
    await sn.setNumThreads(2);
    const [a, b] = [sn.tensor(randomValues(300 * 200, 1), [300, 200]), sn.tensor(randomValues(200 * 310, 2), [200, 310])];
    const fastest = sn.matmul(a, b).toFloat32Array();
    sn.useDeterministicAlgorithms(true);
    const portable = sn.matmul(a, b).toFloat32Array();
    sn.useDeterministicAlgorithms(false);
    expect(new Uint32Array(fastest.buffer)).toEqual(new Uint32Array(portable.buffer));
  });
});

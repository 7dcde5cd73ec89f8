import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as sn from '../src/index.js';
import { readyThreads, runChunked } from '../bindings/pool/pool.js';
import type { ThreadHost } from '../bindings/pool/thread-host.js';
import { randomValues } from './helpers/data.js';

/**
 * The worker pool's behaviour under failure, and its life cycle in a Node process (issue #9). The
 * pool's workers have no public handle, so the Node thread host is wrapped to record each worker's
 * handle by slot (the pool itself runs unchanged).
 */
const spawned = vi.hoisted(() => new Map<number, { terminate(): void }[]>());
vi.mock('../bindings/pool/thread-host.node.ts', async (importOriginal) => {
  const { threadHost } = await importOriginal<{ threadHost: ThreadHost }>();
  const recording: ThreadHost = {
    ...threadHost,
    spawn(source, init, events) {
      const handle = threadHost.spawn(source, init, events);
      spawned.set(init.slot, [...(spawned.get(init.slot) ?? []), handle]);
      return handle;
    },
  };
  return { threadHost: recording };
});

const defaultThreads = sn.getNumThreads();
beforeAll(() => sn.setBackend('wasm'));
afterAll(() => sn.setNumThreads(defaultThreads));

/** A product large enough to be split across threads; its values as an array. */
function product(): Float32Array {
  const a = sn.tensor(randomValues(257 * 129, 1), [257, 129]);
  const b = sn.tensor(randomValues(129 * 263, 2), [129, 263]);
  return sn.matmul(a, b).toFloat32Array();
}

describe('sn.setNumThreads', () => {
  it.each([0, 1.5, 65, -1, NaN])('rejects %s with a RangeError naming the value, keeping the count', async (count) => {
    await sn.setNumThreads(2);
    await expect(sn.setNumThreads(count)).rejects.toThrow(RangeError);
    await expect(sn.setNumThreads(count)).rejects.toThrow(`setNumThreads(${count}): the thread count must be an integer from 1 to 64`);
    expect(sn.getNumThreads()).toBe(2);
  });

  it.each(['0', '2.5', '65', 'abc'])('refuses SIMDNN_NUM_THREADS=%s with a RangeError naming it', async (value) => {
    vi.stubEnv('SIMDNN_NUM_THREADS', value);
    vi.resetModules(); // a fresh library reads the variable for its default
    try {
      const fresh = await import('../src/index.js');
      expect(() => fresh.getNumThreads()).toThrow(RangeError);
      expect(() => fresh.getNumThreads()).toThrow(`SIMDNN_NUM_THREADS='${value}': expected an integer from 1 to 64`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('takes its default from a valid SIMDNN_NUM_THREADS', async () => {
    vi.stubEnv('SIMDNN_NUM_THREADS', '3');
    vi.resetModules();
    try {
      expect((await import('../src/index.js')).getNumThreads()).toBe(3);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('a kernel that fails on the pool', () => {
  it('throws an Error naming the op and the thread instead of hanging, and the pool goes on working', async () => {
    await sn.setNumThreads(2);
    const before = product();
    // sumChunks(out, partials, chunks, length, start, end) writing past the end of wasm memory: every
    // one of the 8 chunks traps, whichever thread runs it.
    const call = { op: 'sum past the end', kernel: 'sumChunks', args: [0xfffffff0, 0, 1, 64, 0, 64], rangeArg: 4, total: 64, chunkSize: 8 };
    expect(() => runChunked(call)).toThrow(/^simdnn: sum past the end failed on (the calling thread|worker thread 1): memory access out of bounds/);
    expect(readyThreads()).toBe(2);
    expect(product()).toEqual(before);
  });
});

describe('a worker that stops', () => {
  it('is replaced while the others take its chunks, at most 3 times, then the pool goes on without it', async () => {
    await sn.setNumThreads(2);
    const expected = product();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (let stop = 1; stop <= 4; stop++) {
        const workers = spawned.get(1)!;
        workers.at(-1)!.terminate();
        await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(stop));
        const replaced = stop <= 3;
        expect(warn).toHaveBeenLastCalledWith(`simdnn: worker thread 1 stopped (exited with code 1); ${replaced ? 'starting a new one' : 'continuing without it'}`);
        expect(spawned.get(1)).toHaveLength(replaced ? stop + 1 : 4);
        expect(product()).toEqual(expected); // while the replacement starts: this thread takes every chunk
        await vi.waitFor(() => expect(readyThreads()).toBe(replaced ? 2 : 1));
        expect(product()).toEqual(expected);
      }
    } finally {
      warn.mockRestore();
    }
  });
});

describe('a Node process that used threads', () => {
  it('ends by itself when its script is done', async () => {
    const script = fileURLToPath(new URL('./fixtures/threaded-script.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, SIMDNN_NUM_THREADS: '' } });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // A hang guard only: the script takes about a second.
    const guard = setTimeout(() => child.kill(), 30_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (...end) => resolve(end)));
    clearTimeout(guard);
    expect({ code, signal, stdout }).toEqual({ code: 0, signal: null, stdout: '2 threads, product 300×300\n' });
  });
});

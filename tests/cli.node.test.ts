import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { areDeterministicAlgorithmsEnabled, getNumThreads, kernelInfo, setBackend, useDeterministicAlgorithms } from '../src/index.js';

function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void (out += `${a.join(' ')}\n`));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void (err += `${a.join(' ')}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  return main(argv).then((status) => {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    return { status, out, err };
  });
}

afterEach(() => {
  setBackend('wasm');
  useDeterministicAlgorithms(false);
});

describe('the simdnn command', () => {
  it('explains its commands with --help', async () => {
    const { status, out } = await run(['--help']);
    expect(status).toBe(0);
    expect(out).toContain('train');
    expect((await run(['train', '--help'])).out).toContain('--batch-size');
  });

  it.each([
    [['train', '--batch-size', '0'], "--batch-size must be a positive integer, got '0'"],
    [['train', '--backend', 'gpu'], "--backend must be one of wasm, ts, got 'gpu'"],
    [['train', '--threads', '0'], "--threads must be a positive integer, got '0'"],
    [['train', '--threads', 'many'], "--threads must be a positive integer, got 'many'"],
    [['train', '--threads', '1000'], '--threads 1000: the thread count must be an integer from 1 to'],
    [['train', '--backend', 'ts', '--threads', '2'], '--threads applies to the wasm backend only'],
    [['train', '--backend', 'ts', '--deterministic'], '--deterministic applies to the wasm backend only'],
    [['bench', '--threads', '0'], "--threads must be a positive integer, got '0'"],
    [['train', '--model', 'resnet'], "--model must be one of"],
    [['train', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['fly'], "unknown command 'fly'"],
  ])('rejects %j with a message and status 2, no stack trace', async (argv, message) => {
    const { status, err } = await run(argv);
    expect(status).toBe(2);
    expect(err).toContain(message);
    expect(err).not.toContain('    at ');
  });

  it('prints a model summary', async () => {
    const { status, out } = await run(['summary', '--model', 'lenet']);
    expect(status).toBe(0);
    expect(out).toContain('Total params: 5,994');
  });

  it('trains on a slice of MNIST, reports test accuracy and saves the weights', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'simdnn-cli-')), 'lenet.safetensors');
    const { status, out } = await run(['train', '--model', 'lenet', '--epochs', '1', '--limit', '512', '--save', path]);
    expect(status).toBe(0);
    expect(out).toMatch(/epoch 1\/1 +100%/);
    expect(out).toMatch(/test accuracy \d+\.\d\d%/);
    expect(existsSync(path)).toBe(true);
    const again = await run(['train', '--model', 'lenet', '--epochs', '1', '--limit', '64', '--load', path]);
    expect(again.status).toBe(0);
  }, 60_000);

  it('trains on 2 threads with --threads 2 and says so', async () => {
    const { status, out } = await run(['train', '--model', 'lenet', '--epochs', '1', '--limit', '256', '--threads', '2']);
    expect(status).toBe(0);
    expect(out).toContain('wasm backend on 2 threads');
    expect(out).toMatch(/test accuracy \d+\.\d\d%/);
    expect(getNumThreads()).toBe(2);
  }, 60_000);

  it('names the kernels it trains with, and pins the portable ones with --deterministic', async () => {
    const fast = await run(['train', '--model', 'lenet', '--epochs', '1', '--limit', '128']);
    expect(fast.status).toBe(0);
    expect(fast.out).toContain(kernelInfo().relaxedSimd ? 'relaxed-SIMD kernels (' : 'portable SIMD128 kernels (relaxed SIMD unavailable');
    const pinned = await run(['train', '--model', 'lenet', '--epochs', '1', '--limit', '128', '--deterministic']);
    expect(pinned.status).toBe(0);
    expect(pinned.out).toContain('portable SIMD128 kernels (deterministic)');
    expect(areDeterministicAlgorithmsEnabled()).toBe(true);
    expect(kernelInfo().variant).toBe('simd128');
  }, 60_000);

  it('benchmarks 1 thread against --threads 2', async () => {
    const { status, out } = await run(['bench', '--threads', '2', '--steps', '2', '--batch-size', '8']);
    expect(status).toBe(0);
    expect(out).toMatch(/wasm, 1 thread +[\d,]+ samples\/s/);
    expect(out).toMatch(/wasm, 2 threads +[\d,]+ samples\/s +\(\d+\.\d\d× 1 thread\)/);
  }, 60_000);
});

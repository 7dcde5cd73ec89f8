// Reading the `simdnn` command's options: every mistake is a UsageError, printed without a stack
// trace (exit status 2).
import { getNumThreads, kernelInfo, setNumThreads, useDeterministicAlgorithms } from '../backend/index.js';

/** What --threads defaults to, for help texts. */
export const DEFAULT_THREADS = 'the machine\'s cores, at most 8, or SIMDNN_NUM_THREADS';

/** The help line of --deterministic (train and bench). */
export const DETERMINISTIC_HELP = `  --deterministic     portable SIMD128 kernels: the same bits in every engine and on every
                      machine, somewhat slower (default: relaxed-SIMD fused multiply-add where the
                      engine has it)`;

/** A mistake in the command line: printed without a stack trace. */
export class UsageError extends Error {}

export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

/** An image size written HxW ('32x32') or as one number for a square. */
export function imageSize(name: string, value: string | undefined, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  const match = /^(\d+)(?:x(\d+))?$/.exec(value);
  const [h, w] = match ? [Number(match[1]), Number(match[2] ?? match[1])] : [0, 0];
  if (!(h > 0 && w > 0)) throw new UsageError(`--${name} must be HxW (e.g. 32x32) or one number, got '${value}'`);
  return [h, w];
}

/**
 * Runs the wasm backend on `--threads` threads (default: the library's default) once its workers
 * are ready; returns the thread count in use, which is 1 where memory cannot be shared with workers.
 */
export async function useThreads(value: string | undefined): Promise<number> {
  try {
    await setNumThreads(value === undefined ? getNumThreads() : positiveInteger('threads', value, 1));
    return getNumThreads();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const reason = error.message.replace(/^simdnn: (setNumThreads\(.*?\): )?/, '');
    throw new UsageError(value === undefined ? reason : `--threads ${value}: ${reason}`);
  }
}

/** Applies --deterministic: pins the portable kernels (sn.useDeterministicAlgorithms) when given. */
export function useDeterministic(value: boolean | undefined): void {
  useDeterministicAlgorithms(value ?? false);
}

/** The wasm backend's kernels as a header names them, e.g. 'relaxed-SIMD kernels (fused multiply-add)'. */
export function describeKernels(): string {
  const { variant, deterministic, fusedMultiplyAdd, relaxedSimdUnavailable } = kernelInfo();
  if (variant === 'relaxed-simd') return `relaxed-SIMD kernels (${fusedMultiplyAdd ? 'fused' : 'unfused'} multiply-add)`;
  return `portable SIMD128 kernels (${deterministic ? 'deterministic' : `relaxed SIMD unavailable: ${relaxedSimdUnavailable}`})`;
}

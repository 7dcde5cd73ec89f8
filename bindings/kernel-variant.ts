// Which kernels run: the relaxed-SIMD ones (fused multiply-add, bits that depend on whether the
// hardware fuses) whenever they are loaded, unless deterministic kernels were asked for; then the
// portable SIMD128 ones (the same bits in every engine). The choice is made per call: the pool writes
// the kernel set into each job, so every thread of a job runs the same kernels.
import { loadedModule } from './instance.js';

/** Index of a kernel set in the pool's tables: 0 the portable module, 1 the relaxed-SIMD overrides. */
export const PORTABLE_KERNELS = 0;
export const RELAXED_KERNELS = 1;

/** The kernels a call runs and what is known of them (`sn.kernelInfo()` adds the thread count). */
export interface KernelVariant {
  /** 'relaxed-simd': fused multiply-add where the engine and hardware have it; 'simd128': portable. */
  variant: 'relaxed-simd' | 'simd128';
  /** Whether useDeterministicAlgorithms(true) pins the portable kernels. */
  deterministic: boolean;
  /** Whether the relaxed-SIMD kernels are loaded in this engine (used unless deterministic). */
  relaxedSimd: boolean;
  /** Whether the relaxed kernels' multiply-add rounds once (probed), when they are loaded. */
  fusedMultiplyAdd: boolean | undefined;
  /** Why the relaxed-SIMD kernels are not loaded, when they are not. */
  relaxedSimdUnavailable: string | undefined;
}

let deterministic = false;

/** Pins the portable kernels (true) or lets the fastest loaded ones run (false), from the next call on. */
export function setDeterministicKernels(on: boolean): void {
  deterministic = on;
}

export function deterministicKernels(): boolean {
  return deterministic;
}

/** The kernel set of the next call. */
export function activeKernelSet(): number {
  return !deterministic && loadedModule().relaxed ? RELAXED_KERNELS : PORTABLE_KERNELS;
}

/** The kernels that run now and what is known of them. */
export function kernelVariant(): KernelVariant {
  const { relaxed, relaxedUnavailable } = loadedModule();
  return {
    variant: activeKernelSet() === RELAXED_KERNELS ? 'relaxed-simd' : 'simd128',
    deterministic,
    relaxedSimd: relaxed !== undefined,
    fusedMultiplyAdd: relaxed ? maddFuses(relaxed.exports) : undefined,
    relaxedSimdUnavailable: relaxedUnavailable,
  };
}

/**
 * Whether the relaxed module's multiply-add rounds once: (1 + 2⁻¹²)² − (1 + 2⁻¹¹) is 2⁻²⁴ when fused
 * and 0 when the product is rounded first (assembly/madd.ts maddFuses).
 */
function maddFuses(exports: WebAssembly.Exports): boolean {
  const probe = exports.maddFuses as (a: number, c: number) => number;
  return probe(1 + 2 ** -12, -(1 + 2 ** -11)) !== 0;
}

// Claiming and running the chunks of the current job: the same code on the dispatching thread and on
// every worker, so a chunk's arguments never depend on which thread runs it.
import {
  ARG_COUNT, ARGS, CHUNK_BITS, CHUNK_SIZE, CHUNKS, CLAIMS, DONE, ERROR, ERROR_CAPACITY, ERROR_LENGTH,
  KERNEL, KERNEL_SET, MAX_ARGS, MAX_CHUNKS, RANGE_ARG, SHARES, STEP_COUNT, STEPS, TOTAL, WORKSPACE_ARG, WORKSPACES, type Control,
} from './control.js';

/** A kernel export: numbers in, nothing (or a number) out. */
export type Kernel = (...args: number[]) => unknown;

/** A compiled module and one thread's instance of it. */
export interface KernelSource {
  module: WebAssembly.Module;
  exports: WebAssembly.Exports;
}

/**
 * The kernel tables by kernel set (KERNEL_SET): the portable module's function exports in export
 * order (both sides index kernels by this list), then the same list with the relaxed module's
 * exports standing in for those of the same name, when this thread has the relaxed module.
 */
export function kernelTables(portable: KernelSource, relaxed?: KernelSource): readonly (readonly Kernel[] | undefined)[] {
  const names = WebAssembly.Module.exports(portable.module).filter((e) => e.kind === 'function').map((e) => e.name);
  const table = names.map((name) => portable.exports[name] as Kernel);
  return [table, relaxed && names.map((name, i) => (relaxed.exports[name] as Kernel | undefined) ?? table[i])];
}

/** The sequence number of the job that `claim` (a CLAIMS word) belongs to. */
export function sequenceOf(claim: number): number {
  return claim >>> CHUNK_BITS;
}

/** The first chunk of share `share` when `chunks` chunks are dealt into `shares` contiguous shares. */
export function shareStart(share: number, chunks: number, shares: number): number {
  return Math.floor((share * chunks) / shares);
}

/**
 * Claims chunks of job `sequence` until none is left (or a newer job replaced it) and runs each with
 * this thread's workspace: first those of the thread's own share, then the other shares' in turn. A
 * chunk that throws records the first error and still counts as done, so the dispatcher never waits
 * for it. A thread without the job's kernel set (a worker started before the relaxed kernels were
 * loaded, about to be replaced) claims nothing: the others run the job.
 */
export function runChunks(control: Control, sequence: number, slot: number, tables: readonly (readonly Kernel[] | undefined)[]): void {
  const { i32 } = control;
  const kernels = tables[Atomics.load(i32, KERNEL_SET)];
  if (!kernels) return;
  const shares = Atomics.load(i32, SHARES);
  for (let k = 0; k < shares; k++) {
    if (!runShare(control, sequence, (slot + k) % shares, slot, kernels)) return;
  }
}

/** Runs the unclaimed chunks of one share; false once the job is no longer `sequence`. */
function runShare(control: Control, sequence: number, share: number, slot: number, kernels: readonly Kernel[]): boolean {
  const { i32 } = control;
  const chunks = Atomics.load(i32, CHUNKS);
  const end = shareStart(share + 1, chunks, Atomics.load(i32, SHARES));
  for (;;) {
    const claim = Atomics.load(i32, CLAIMS + share);
    if (sequenceOf(claim) !== sequence) return false;
    const chunk = claim & (MAX_CHUNKS - 1);
    if (chunk >= end) return true;
    if (Atomics.compareExchange(i32, CLAIMS + share, claim, claim + 1) !== claim) continue;
    try {
      runChunk(control, chunk, slot, kernels);
    } catch (error) {
      recordError(control, slot, error);
    }
    if (Atomics.add(i32, DONE, 1) + 1 === chunks) Atomics.notify(i32, DONE);
  }
}

/** This thread's argument list for chunk calls, reused so that running a chunk allocates nothing. */
const chunkArgs: number[] = new Array<number>(MAX_ARGS).fill(0);

/** Calls the job's kernel on chunk `chunk`: its range, its advanced arguments, the thread's workspace. */
function runChunk(control: Control, chunk: number, slot: number, kernels: readonly Kernel[]): void {
  const { i32, f64 } = control;
  const args = chunkArgs;
  for (let a = 0; a < i32[ARG_COUNT]; a++) args[a] = f64[ARGS + a];
  const start = chunk * f64[CHUNK_SIZE];
  args[i32[RANGE_ARG]] = start;
  args[i32[RANGE_ARG] + 1] = Math.min(f64[TOTAL], start + f64[CHUNK_SIZE]);
  for (let s = 0; s < i32[STEP_COUNT]; s++) args[f64[STEPS + 2 * s]] += chunk * f64[STEPS + 2 * s + 1];
  if (i32[WORKSPACE_ARG] >= 0) args[i32[WORKSPACE_ARG]] = f64[WORKSPACES + slot];
  callKernel(kernels[i32[KERNEL]], args);
}

/**
 * Calls `kernel` with the first MAX_ARGS values of `args` (its own arguments first: a wasm export
 * ignores arguments beyond its parameters). Spelled out because a spread call allocates an argument
 * list every time (V8 here: ~100 bytes per call), and a worker that allocates stalls its share of a
 * job for each scavenge (0.2–0.8 ms).
 */
export function callKernel(kernel: Kernel, args: readonly number[]): unknown {
  const a = args;
  return kernel(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
    a[12], a[13], a[14], a[15], a[16], a[17], a[18], a[19], a[20], a[21], a[22], a[23]);
}

function recordError(control: Control, slot: number, error: unknown): void {
  if (Atomics.compareExchange(control.i32, ERROR, 0, slot + 1) !== 0) return;
  const message = error instanceof Error ? error.message : String(error);
  const length = Math.min(message.length, ERROR_CAPACITY);
  for (let i = 0; i < length; i++) control.text[i] = message.charCodeAt(i);
  control.i32[ERROR_LENGTH] = length;
}

/** The recorded error message (valid once the job is done). */
export function errorMessage(control: Control): string {
  return String.fromCharCode(...control.text.subarray(0, control.i32[ERROR_LENGTH]));
}

/**
 * Loads of the watched word between two reads of the clock (~2 µs). performance.now() allocates its
 * result: read every 64 loads, it filled a watching worker's young generation every ~100 ms (see
 * callKernel for what a scavenge costs).
 */
const LOADS_PER_CLOCK_READ = 1024;

/**
 * Returns once i32[index] no longer holds `value`, watching it for up to `spinMilliseconds` first
 * (waking from Atomics.wait costs 20–60 µs here, more than a change that comes soon takes); if it
 * still holds `value` then, sleeps in Atomics.wait until a notify when this thread may block, and
 * returns when woken (a notify without a change wakes the waiter too). Bounded, so an idle thread sleeps.
 */
export function watchThenWait(i32: Int32Array, index: number, value: number, spinMilliseconds: number, canBlock: boolean): void {
  const until = performance.now() + spinMilliseconds;
  do {
    for (let i = 0; i < LOADS_PER_CLOCK_READ; i++) if (Atomics.load(i32, index) !== value) return;
  } while (performance.now() < until);
  if (canBlock) Atomics.wait(i32, index, value);
}

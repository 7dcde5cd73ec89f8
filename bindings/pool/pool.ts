// The worker pool: threads that run chunks of kernel calls over the one shared wasm memory. Only the
// thread that loaded the module allocates or frees; workers only run kernels on memory it hands out.
// A job's chunks are claimed dynamically (see control.ts), so a slow or missing worker never blocks
// a call: the dispatching thread runs whatever is left. Results never depend on the thread count,
// because a chunk's arguments depend only on the job and on the chunk's index.
import { threadHost } from '#thread-host';
import { loadedModule, loadRelaxedKernels, loadWasm, type KernelModule } from '../instance.js';
import { activeKernelSet } from '../kernel-variant.js';
import { workerSource } from './worker-source.generated.js';
import {
  ARG_COUNT, ARGS, CHUNK_BITS, CHUNK_SIZE, CHUNKS, CLAIMS, DONE, ERROR, GONE, JOB, KERNEL, KERNEL_SET, MAX_ARGS,
  GENERATION, MAX_CHUNKS, MAX_STEPS, MAX_THREADS, RANGE_ARG, READY, SEQUENCE_MASK, SHARES, STARTING, STATE, STEP_COUNT, STEPS,
  TOTAL, WORKSPACE_ARG, WORKSPACES, controlViews, type Control,
} from './control.js';
import { callKernel, errorMessage, kernelTables, runChunks, shareStart, watchThenWait, type Kernel } from './chunks.js';
import type { WorkerMessage } from './worker.js';

/** One kernel call whose range argument is cut into chunks that threads run independently. */
export interface ChunkedCall {
  /** The operation's name, for errors. */
  op: string;
  /** The kernel export to call. */
  kernel: string;
  /** Its arguments; the range, stepped and workspace arguments are replaced per chunk. */
  args: readonly number[];
  /** Position of the range start in `args`; the range end follows it. */
  rangeArg: number;
  /** The range [0, total) to cut into chunks of `chunkSize`. */
  total: number;
  chunkSize: number;
  /** Arguments advanced by `step` per chunk index (e.g. each chunk's own partial output). */
  steps?: readonly (readonly [arg: number, step: number])[];
  /** The argument that receives each thread's own workspace, and the workspaces by thread slot. */
  workspaces?: { arg: number; bySlot: readonly number[] };
}

/** Most threads used by default (more rarely pays for small models; setNumThreads may ask for more). */
const DEFAULT_MAX_THREADS = 8;
/** How long the dispatching thread watches for the last chunks to finish before it sleeps. */
const CALLER_SPIN_MILLISECONDS = 1;
/** Unexpected worker exits after which the pool stops replacing workers. */
const MAX_RESTARTS = 3;

interface WorkerSlot {
  handle: { terminate(): void };
  ready: Promise<void>;
  retiring: boolean;
  /** The relaxed kernels the worker was started with (a worker started before they loaded is replaced). */
  relaxed: KernelModule | undefined;
}

let control: Control | undefined;
let tables: readonly (readonly Kernel[] | undefined)[] = [];
let tablesRelaxed: KernelModule | undefined; // the relaxed module `tables` were made with
let kernelIndex = new Map<string, number>();
let threads = 0; // 0 until first configured
let sequence = 0;
let sharesUsed = 0; // the most shares a job has had
let restarts = 0;
let warned = false;
const workers = new Map<number, WorkerSlot>();

/** The configured thread count (the calling thread included). */
export function numThreads(): number {
  if (threads === 0) threads = defaultThreads();
  return threads;
}

/**
 * Sets the thread count and resolves once every worker is ready. 1 means no workers at all. Where
 * wasm memory cannot be shared with workers, the count stays 1 and one console warning says why.
 * Loads the relaxed-SIMD kernels first if they are not loaded yet (see ready()).
 */
export async function setNumThreads(count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_THREADS) {
    throw new RangeError(`simdnn: setNumThreads(${count}): the thread count must be an integer from 1 to ${MAX_THREADS}`);
  }
  await loadRelaxedKernels();
  threads = usableThreads(count, true);
  await startWorkers();
}

/**
 * Loads every kernel this engine runs (in browsers the relaxed-SIMD chunk, if the backend started
 * without it) and starts the configured workers; resolves when they are ready.
 */
export async function ready(): Promise<void> {
  await loadRelaxedKernels();
  await startPool();
}

/** Starts the configured workers now (on first use of the kernels) and resolves when they are ready. */
export async function startPool(): Promise<void> {
  await loadWasm();
  numThreads();
  await startWorkers();
}

/** Threads that can take chunks right now: this one plus every ready worker. */
export function readyThreads(): number {
  if (threads === 0) startPool().catch((error: Error) => console.warn(error.message));
  if (!control) return 1;
  let ready = 1;
  for (let slot = 1; slot < threads; slot++) if (Atomics.load(control.i32, STATE + slot) === READY) ready++;
  return ready;
}

/**
 * Runs every chunk of `call`, on the ready workers and this thread; throws the first chunk's error.
 * An empty range still makes one call (kernels define what an empty range writes).
 */
export function runChunked(call: ChunkedCall): void {
  const chunks = Math.max(1, Math.ceil(call.total / call.chunkSize));
  const steps = call.steps?.length ?? 0;
  if (call.args.length > MAX_ARGS || steps > MAX_STEPS || chunks >= MAX_CHUNKS) {
    throw new Error(`simdnn: ${call.op}: ${call.args.length} arguments, ${steps} steps, ${chunks} chunks exceed the pool's limits`);
  }
  const ctl = (control ??= newControl());
  if (chunks === 1) {
    runWhole(call);
    return;
  }
  const { i32 } = ctl;
  // Mark every share word as wholly claimed by the finished job before overwriting its description:
  // a worker still looking at it (it read a CLAIMS word before this store) then fails its
  // compare-and-swap instead of claiming a chunk of the new job under the old sequence number. (All
  // words ever used, so none keeps a sequence number old enough to come round again.)
  for (let share = 0; share < sharesUsed; share++) Atomics.store(i32, CLAIMS + share, sequence << CHUNK_BITS | (MAX_CHUNKS - 1));
  const shares = Math.min(threads, chunks);
  sharesUsed = Math.max(sharesUsed, shares);
  writeJob(ctl, call, chunks, shares);
  sequence = (sequence + 1) & SEQUENCE_MASK;
  for (let share = 0; share < shares; share++) Atomics.store(i32, CLAIMS + share, sequence << CHUNK_BITS | shareStart(share, chunks, shares));
  Atomics.store(i32, JOB, sequence);
  if (workers.size > 0) Atomics.notify(i32, JOB);
  runChunks(ctl, sequence, 0, currentTables());
  waitForChunks(ctl, chunks);
  const failed = i32[ERROR];
  if (failed !== 0) {
    const where = failed === 1 ? 'the calling thread' : `worker thread ${failed - 1}`;
    throw new Error(`simdnn: ${call.op} failed on ${where}: ${errorMessage(ctl)}`);
  }
}

/** The one-chunk case, called directly on this thread: no control block, no atomics. */
function runWhole(call: ChunkedCall): void {
  const args = [...call.args];
  args[call.rangeArg] = 0;
  args[call.rangeArg + 1] = call.total;
  if (call.workspaces) args[call.workspaces.arg] = call.workspaces.bySlot[0];
  try {
    callKernel(currentTables()[activeKernelSet()]![kernelNumber(call)], args);
  } catch (error) {
    throw new Error(`simdnn: ${call.op} failed on the calling thread: ${(error as Error).message}`, { cause: error });
  }
}

function kernelNumber(call: ChunkedCall): number {
  const kernel = kernelIndex.get(call.kernel);
  if (kernel === undefined) throw new Error(`simdnn: ${call.op}: the wasm module has no kernel '${call.kernel}'`);
  return kernel;
}

function writeJob(ctl: Control, call: ChunkedCall, chunks: number, shares: number): void {
  const { i32, f64 } = ctl;
  const steps = call.steps ?? [];
  i32[KERNEL] = kernelNumber(call);
  i32[KERNEL_SET] = activeKernelSet();
  i32[ARG_COUNT] = call.args.length;
  i32[CHUNKS] = chunks;
  i32[SHARES] = shares;
  i32[RANGE_ARG] = call.rangeArg;
  i32[STEP_COUNT] = steps.length;
  i32[WORKSPACE_ARG] = call.workspaces?.arg ?? -1;
  i32[DONE] = 0;
  i32[ERROR] = 0;
  f64[TOTAL] = call.total;
  f64[CHUNK_SIZE] = call.chunkSize;
  f64.set(call.args, ARGS);
  steps.forEach(([arg, step], s) => { f64[STEPS + 2 * s] = arg; f64[STEPS + 2 * s + 1] = step; });
  if (call.workspaces) f64.set(call.workspaces.bySlot, WORKSPACES);
}

/**
 * Waits until every chunk is done: the other threads' last chunks usually finish soon after this
 * thread has run out, so DONE is watched before sleeping (a page's main thread, which may not block,
 * keeps watching).
 */
function waitForChunks(ctl: Control, chunks: number): void {
  const blocking = threadHost.canBlock();
  for (let done = Atomics.load(ctl.i32, DONE); done < chunks; done = Atomics.load(ctl.i32, DONE)) {
    watchThenWait(ctl.i32, DONE, done, CALLER_SPIN_MILLISECONDS, blocking);
  }
}

function newControl(): Control {
  const loaded = loadedModule();
  kernelIndex = new Map(WebAssembly.Module.exports(loaded.module).filter((e) => e.kind === 'function').map((e, i) => [e.name, i]));
  return controlViews();
}

/** This thread's kernel tables, remade when the relaxed kernels were loaded after the first call. */
function currentTables(): readonly (readonly Kernel[] | undefined)[] {
  const loaded = loadedModule();
  if (tables.length === 0 || tablesRelaxed !== loaded.relaxed) {
    tables = kernelTables({ module: loaded.module, exports: loaded.exports as unknown as WebAssembly.Exports }, loaded.relaxed);
    tablesRelaxed = loaded.relaxed;
  }
  return tables;
}

function defaultThreads(): number {
  const requested = threadHost.requestedThreads();
  if (requested !== undefined) {
    const count = Number(requested);
    if (!Number.isInteger(count) || count < 1 || count > MAX_THREADS) {
      throw new RangeError(`simdnn: SIMDNN_NUM_THREADS='${requested}': expected an integer from 1 to ${MAX_THREADS}`);
    }
    return usableThreads(count, true);
  }
  return usableThreads(Math.min(DEFAULT_MAX_THREADS, Math.max(1, threadHost.hardwareThreads())), false);
}

/** `count`, or 1 where workers cannot share wasm memory (with one warning if more were asked for). */
function usableThreads(count: number, asked: boolean): number {
  if (count === 1) return 1;
  const reason = threadHost.unavailable() ?? (loadedModule().shared ? undefined : 'this engine cannot create a shared wasm memory');
  if (reason === undefined) return count;
  if (asked && !warned) {
    warned = true;
    console.warn(`simdnn: running on 1 thread instead of ${count}: ${reason}`);
  }
  return 1;
}

/**
 * Retires workers beyond the thread count or started without the relaxed kernels loaded since,
 * starts missing ones and waits until all are ready.
 */
async function startWorkers(): Promise<void> {
  const ctl = (control ??= newControl());
  const { relaxed } = loadedModule();
  for (const [slot, worker] of workers) {
    if (slot < threads && worker.relaxed === relaxed) continue;
    // The worker leaves its loop when its generation changes (terminate may take a while to act, and
    // a replacement for the slot must never serve next to it).
    worker.retiring = true;
    Atomics.add(ctl.i32, GENERATION + slot, 1);
    Atomics.store(ctl.i32, STATE + slot, GONE);
    worker.handle.terminate();
    workers.delete(slot);
  }
  Atomics.notify(ctl.i32, JOB); // retired workers wake up and leave
  for (let slot = 1; slot < threads; slot++) if (!workers.has(slot)) spawn(ctl, slot);
  await Promise.all([...workers.values()].map((w) => w.ready));
}

function spawn(ctl: Control, slot: number): void {
  const { module, relaxed, memory } = loadedModule();
  Atomics.store(ctl.i32, STATE + slot, STARTING);
  let settle!: { resolve(): void; reject(error: Error): void };
  const ready = new Promise<void>((resolve, reject) => { settle = { resolve, reject }; });
  const worker: WorkerSlot = { handle: { terminate() {} }, ready, retiring: false, relaxed };
  const generation = Atomics.load(ctl.i32, GENERATION + slot);
  const init = { module, relaxed: relaxed?.module, memory, control: ctl.buffer as SharedArrayBuffer, slot, generation };
  worker.handle = threadHost.spawn(workerSource, init, {
    onMessage(message: WorkerMessage) {
      if (message.type === 'ready') settle.resolve();
      else settle.reject(new Error(`simdnn: worker thread ${slot} could not start: ${message.message}`));
    },
    onExit(reason: string) {
      if (worker.retiring) {
        settle.resolve(); // retired on purpose (a smaller pool), perhaps before it was ready: no failure
        return;
      }
      settle.reject(new Error(`simdnn: worker thread ${slot} stopped before it was ready: ${reason}`));
      if (workers.get(slot) !== worker) return;
      Atomics.store(ctl.i32, STATE + slot, GONE);
      workers.delete(slot);
      // An unexpected exit: the calls go on without it (the other threads take its chunks) and a
      // replacement starts, up to MAX_RESTARTS times.
      if (restarts++ < MAX_RESTARTS && slot < threads) {
        console.warn(`simdnn: worker thread ${slot} stopped (${reason}); starting a new one`);
        spawn(ctl, slot);
        workers.get(slot)!.ready.catch(() => {});
      } else {
        console.warn(`simdnn: worker thread ${slot} stopped (${reason}); continuing without it`);
      }
    },
  });
  workers.set(slot, worker);
}

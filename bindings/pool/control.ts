// The control block that the dispatching thread and the worker threads share (a SharedArrayBuffer
// apart from wasm memory). It holds one job at a time: a kernel call whose range argument is cut into
// chunks. The chunks are dealt out in contiguous shares, one per thread slot (share s is chunks
// [⌊s·C/S⌋, ⌊(s+1)·C/S⌋)): each thread claims the chunks of its own share first, then helps with the
// others', one chunk at a time (an atomic compare-and-swap on the share's CLAIMS word). Thread s thus
// handles the same part of the batch in every op of a step, so it finds that part in its own cache,
// and a slow or missing thread never blocks a job. The dispatcher writes the job, starts every share,
// stores the job's sequence number in JOB and wakes the workers; it claims chunks itself too, so a job
// finishes even if no worker is awake.
//
// Int32 words (index into an Int32Array over the block):
export const JOB = 0; // sequence number of the current job; workers wait for it to change
export const DONE = 1; // chunks of the current job finished (notified when it reaches CHUNKS)
export const ERROR = 2; // 0, or the slot + 1 of the first thread whose chunk threw
export const KERNEL = 3; // index of the kernel among the module's function exports
export const ARG_COUNT = 4;
export const CHUNKS = 5;
export const RANGE_ARG = 6; // the chunk's [start, end) go to args[RANGE_ARG] and args[RANGE_ARG + 1]
export const STEP_COUNT = 7; // how many (argument, step) pairs advance per chunk index
export const WORKSPACE_ARG = 8; // the argument that gets the thread's own workspace, or -1
export const KERNEL_SET = 9; // which kernel table: 0 portable, 1 relaxed SIMD (kernel-variant.ts)
export const ERROR_LENGTH = 10; // UTF-16 code units of the error message
export const SHARES = 11; // how many shares the job's chunks are dealt into
export const STATE = 16; // STATE + slot: the slot's state (below)
export const GENERATION = STATE + 64; // GENERATION + slot: bumped when the slot's worker is retired
export const CLAIMS = GENERATION + 64; // CLAIMS + share: job sequence << CHUNK_BITS | next chunk of the share
export const INT32_WORDS = CLAIMS + 64;

/** Most threads a pool runs (the dispatching thread is slot 0). */
export const MAX_THREADS = 64;
/** Bits of a CLAIMS word that count chunks; the job sequence takes the rest. */
export const CHUNK_BITS = 12;
export const MAX_CHUNKS = 1 << CHUNK_BITS;
export const SEQUENCE_MASK = (1 << (31 - CHUNK_BITS)) - 1;

// Worker states.
export const STARTING = 0;
export const READY = 1;
export const GONE = 2;

// Float64 slots (index into a Float64Array after the Int32 words): every argument is a JS number.
export const TOTAL = 0; // the range [0, TOTAL) that is cut into chunks
export const CHUNK_SIZE = 1;
export const ARGS = 2;
export const MAX_ARGS = 24; // as many as chunks.ts callKernel passes
export const STEPS = ARGS + MAX_ARGS; // pairs (argument index, step)
export const MAX_STEPS = 8;
export const WORKSPACES = STEPS + 2 * MAX_STEPS; // one per slot
export const FLOAT64_SLOTS = WORKSPACES + MAX_THREADS;

/** Longest error message kept (UTF-16 code units; TextEncoder refuses shared buffers). */
export const ERROR_CAPACITY = 512;

const FLOAT64_OFFSET = INT32_WORDS * 4;
const ERROR_OFFSET = FLOAT64_OFFSET + FLOAT64_SLOTS * 8;
const BYTES = ERROR_OFFSET + ERROR_CAPACITY * 2;

/** Typed views over one control block. */
export interface Control {
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly text: Uint16Array;
}

/** Views over `buffer`, or over a new block (shared where the engine allows, so workers can join). */
export function controlViews(buffer: SharedArrayBuffer | ArrayBuffer = newBlock()): Control {
  return {
    buffer,
    i32: new Int32Array(buffer, 0, INT32_WORDS),
    f64: new Float64Array(buffer, FLOAT64_OFFSET, FLOAT64_SLOTS),
    text: new Uint16Array(buffer, ERROR_OFFSET, ERROR_CAPACITY),
  };
}

function newBlock(): SharedArrayBuffer | ArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(BYTES) : new ArrayBuffer(BYTES);
}

// What the pool needs of the platform; thread-host.node.ts and thread-host.browser.ts implement it,
// and package.json's "imports" picks one under the name '#thread-host' (the node condition or not).
import type { WorkerInit, WorkerMessage } from './worker.js';

/** Callbacks for one worker's life. */
export interface WorkerEvents {
  onMessage(message: WorkerMessage): void;
  /** The worker stopped (crashed, exited or was terminated); `reason` says how. */
  onExit(reason: string): void;
}

export interface ThreadHost {
  /** Starts a worker running `source` (which defines `simdnnWorker`) with `init`. */
  spawn(source: string, init: WorkerInit, events: WorkerEvents): { terminate(): void };
  /** Logical processors of this machine. */
  hardwareThreads(): number;
  /** The thread count the environment asks for, as written (Node: SIMDNN_NUM_THREADS), if any. */
  requestedThreads(): string | undefined;
  /** Why workers cannot share wasm memory here, or undefined when they can. */
  unavailable(): string | undefined;
  /** Whether this thread may block in Atomics.wait (otherwise it spins while workers finish). */
  canBlock(): boolean;
}

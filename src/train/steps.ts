// Training and evaluation are written once, as generators that pause between batches and wherever
// a callback returned a promise; `fit`/`evaluate` run them straight through, `fitAsync` hands the
// event loop a turn at every pause.
import { SimdnnError } from '../errors.js';

/** Where a run pauses: after a batch, or on a callback's promise that must settle before it goes on. */
export type Pause = { kind: 'batch' } | { kind: 'wait'; promise: PromiseLike<unknown>; source: string };

/** The pause after a batch. */
export const BATCH_DONE: Pause = { kind: 'batch' };

/** A run of steps, returning `T` at the end. */
export type Steps<T> = Generator<Pause, T, void>;

/** Pauses on `result` when a callback returned a promise (or any thenable). */
export function* settle(result: unknown, source: string): Steps<void> {
  if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') yield { kind: 'wait', promise: result as PromiseLike<unknown>, source };
}

/** Runs `steps` to the end without pausing; a callback's promise is an error, as nothing could await it. */
export function runSync<T>(op: string, asyncTwin: string, steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (next.value.kind === 'wait') {
      Promise.resolve(next.value.promise).catch(() => {}); // its outcome is moot: the run stops here
      throw new SimdnnError(`${op}: ${next.value.source} returned a promise, which ${op} cannot wait for; use await ${asyncTwin}(…)`);
    }
  }
}

/** Runs `steps` to the end, giving the event loop a turn after every batch and awaiting callbacks' promises. */
export async function runAsync<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    await (next.value.kind === 'wait' ? next.value.promise : nextTask());
  }
}

/**
 * Resolves in a new task, after whatever the event loop has waiting (rendering, input, timers, I/O,
 * messages): `setImmediate` in Node, a `MessageChannel` message in browsers and workers (a task of
 * ordinary priority, so timers and other messages get their turn, and no 4 ms timer clamping;
 * `scheduler.yield()` was not used because its continuation runs ahead of the page's timers).
 */
export function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

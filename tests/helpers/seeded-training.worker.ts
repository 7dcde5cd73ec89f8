// A Web Worker running the seeded training of seeded-training.ts. Message in: `{ awaitReady }`
// (whether to `await sn.ready()` first or let the wasm module compile synchronously on first use);
// message out: `{ variant, hashes }` (the kernels that ran, see sn.kernelInfo) or `{ error }`.
import * as sn from '../../src/index.js';
import { seededTraining, type TrainingHashes } from './seeded-training.js';

/** The request the worker takes. */
export interface SeededTrainingRequest {
  awaitReady: boolean;
}

/** The worker's reply. */
export type SeededTrainingReply = { variant: string; hashes: TrainingHashes } | { error: string };

const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<SeededTrainingRequest>) => void;
  postMessage(reply: SeededTrainingReply): void;
};

scope.onmessage = async ({ data }) => {
  try {
    if (data.awaitReady) await sn.ready();
    const hashes = await seededTraining();
    scope.postMessage({ variant: sn.kernelInfo().variant, hashes });
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  }
};

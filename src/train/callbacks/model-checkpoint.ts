import { SimdnnError } from '../../errors.js';
import { save } from '../../io/save-load.js';
import type { EpochLog } from '../fit.js';
import type { Callback, TrainingContext } from './callback.js';
import { Monitor, type MonitorMode } from './monitor.js';

/** Options of `ModelCheckpoint`. */
export interface ModelCheckpointOptions {
  /** The logged value that decides which epoch is best (default `'valLoss'`): any key of `EpochLog.metrics`. */
  monitor?: string;
  /** Save only when the monitored value improves on the best so far (default false: after every epoch). */
  saveBestOnly?: boolean;
  /** Which way is better (default 'auto': higher for accuracies, lower otherwise). */
  mode?: MonitorMode;
  /** Strings stored in the file's safetensors `__metadata__` (e.g. class names and input size). */
  metadata?: Record<string, string>;
}

/**
 * Keras's `ModelCheckpoint`: saves the model's state dict as safetensors with `sn.io.save` after
 * each epoch, or only after epochs that improve the monitored value (`saveBestOnly`). `path` is any
 * place `sn.io.save` takes: a file path in Node (replaced atomically: a temporary file renamed over
 * it, so a crash never leaves half a checkpoint) or `'indexeddb://name'` in browsers. Saving is
 * asynchronous, so it needs `sn.fitAsync`, which waits for each save before training goes on.
 */
export class ModelCheckpoint implements Callback {
  readonly path: string;
  readonly saveBestOnly: boolean;
  readonly metadata: Record<string, string> | undefined;
  /** The epochs (from 0) saved so far, in order; the file holds the last. */
  readonly savedEpochs: number[] = [];
  readonly #monitor: Monitor;

  constructor(path: string, options: ModelCheckpointOptions = {}) {
    if (typeof path !== 'string' || path === '') throw new SimdnnError(`ModelCheckpoint: path must be a file path or 'indexeddb://name', got ${JSON.stringify(path)}`);
    const { monitor = 'valLoss', saveBestOnly = false, mode = 'auto', metadata } = options;
    this.#monitor = new Monitor('ModelCheckpoint', monitor, mode, 0);
    this.path = path;
    this.saveBestOnly = saveBestOnly;
    this.metadata = metadata;
  }

  /** The best monitored value so far (with `saveBestOnly`). */
  get best(): number {
    return this.#monitor.best;
  }

  onTrainBegin(context: TrainingContext): void {
    if (!context.async) throw new SimdnnError(`ModelCheckpoint: saving to '${this.path}' is asynchronous; train with await sn.fitAsync(model, options) instead of sn.fit`);
    this.#monitor.reset();
    this.savedEpochs.length = 0;
  }

  async onEpochEnd(log: EpochLog, context: TrainingContext): Promise<void> {
    if (this.saveBestOnly && !this.#monitor.improves(this.#monitor.value(log))) return;
    await save(context.model, this.path, { metadata: this.metadata });
    this.savedEpochs.push(log.epoch);
  }
}

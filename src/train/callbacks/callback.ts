import type { Module } from '../../nn/module.js';
import type { EpochLog, History, TrainableOptimizer } from '../fit.js';

/** What a callback sees of the run it is part of. */
export interface TrainingContext {
  readonly model: Module;
  readonly optimizer: TrainableOptimizer;
  /** True under `fitAsync`, where hooks may return promises (they are awaited); false under `fit`. */
  readonly async: boolean;
  /** Set it to true to end training after the current epoch (Keras's `model.stop_training`). */
  stopTraining: boolean;
}

/**
 * A training callback (Keras's `Callback`): each hook is optional and runs at its point of `fit`
 * or `fitAsync`; under `fitAsync` a hook may return a promise, which is awaited before training goes
 * on. Hooks run in the order of the `callbacks` array.
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(context: TrainingContext): void | Promise<void>;
  /** After each epoch, its validation and the scheduler's step; `log.metrics` holds every logged value. */
  onEpochEnd?(log: EpochLog, context: TrainingContext): void | Promise<void>;
  /** After the last epoch (also when training stopped early). */
  onTrainEnd?(history: History, context: TrainingContext): void | Promise<void>;
}

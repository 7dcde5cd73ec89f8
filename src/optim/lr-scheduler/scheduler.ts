// The interface every learning-rate scheduler of sn.optim.lrScheduler implements: what a training
// loop (sn.fit's `scheduler` option, or user code) calls, whatever the schedule.

/** A value that survives JSON.stringify / JSON.parse unchanged (no Infinity, NaN or undefined). */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A scheduler's state for resuming: plain JSON-safe values (PyTorch's `state_dict()` of a scheduler
 * holds Python numbers, not tensors), so it can be written with `JSON.stringify`, e.g. into a
 * checkpoint's safetensors metadata.
 */
export type LrSchedulerState = { [key: string]: JsonValue };

/**
 * A learning-rate scheduler (PyTorch's `torch.optim.lr_scheduler`): it owns its optimiser's `lr`
 * (and, for OneCycleLR, its momentum or β1) and changes it on every `step()`.
 *
 * ```ts
 * const scheduler = new sn.optim.lrScheduler.StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (const epoch of epochs) { train(); scheduler.step(); }      // after the optimiser's steps
 * const plateau = new sn.optim.lrScheduler.ReduceLROnPlateau(opt, { patience: 2 });
 * plateau.step(validationLoss);                                     // needsMetric: true
 * ```
 */
export interface LrScheduler {
  /** The class name, for messages ('StepLR', 'OneCycleLR' …). */
  readonly name: string;
  /**
   * Advances the schedule by one step and sets the optimiser's `lr`. OneCycleLR counts batches,
   * the others usually epochs. `metric` is required when `needsMetric` (ReduceLROnPlateau: the
   * monitored value, e.g. the validation loss) and refused otherwise.
   */
  step(metric?: number): void;
  /** Whether `step` takes the monitored metric (true only for ReduceLROnPlateau). */
  readonly needsMetric: boolean;
  /** The learning rate the last `step()` (or the constructor) set: PyTorch's `get_last_lr()[0]`. */
  readonly lastLr: number;
  /** The schedule's position and settings, JSON-safe, for `loadStateDict` on a new scheduler. */
  stateDict(): LrSchedulerState;
  /**
   * Restores a state from `stateDict()` of a scheduler of the same class. Does not change the
   * optimiser's `lr`: restore the optimiser's own state (or set its `lr` to `lastLr`) alongside.
   */
  loadStateDict(state: LrSchedulerState): void;
}

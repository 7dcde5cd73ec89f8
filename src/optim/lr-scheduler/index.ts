// sn.optim.lrScheduler: PyTorch 1.13's learning-rate schedulers, each owning its optimiser's `lr`.
export type { LrScheduler, LrSchedulerState, JsonValue } from './scheduler.js';
export {
  StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR,
  type StepLROptions, type MultiStepLROptions, type ExponentialLROptions, type CosineAnnealingLROptions,
} from './schedules.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-on-plateau.js';

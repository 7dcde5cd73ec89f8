// sn.optim.lrScheduler: PyTorch 1.13's learning-rate schedulers.
export type { LrScheduler, LrSchedulerState, JsonValue } from './scheduler.js';

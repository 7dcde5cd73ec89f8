// sn.callbacks: Keras's training callbacks for fit and fitAsync.
export type { Callback, TrainingContext } from './callback.js';
export type { MonitorMode } from './monitor.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';

export { fit, fitAsync, type FitOptions, type History, type EpochLog, type BatchLog, type TrainableOptimizer } from './fit.js';
export { evaluate, type Evaluation, type EvaluateOptions, type LossFunction } from './evaluate.js';

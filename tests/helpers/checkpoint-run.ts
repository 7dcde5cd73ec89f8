// A seeded training run with a ModelCheckpoint, for the checkpoint tests (files in Node, IndexedDB
// in Chromium): the weights after every epoch are kept to compare with what was saved.
import * as sn from '../../src/index.js';

export interface CheckpointRun {
  checkpoint: sn.callbacks.ModelCheckpoint;
  /** The weights after each epoch, as raw f32 values by name. */
  weights: Record<string, number[]>[];
  /** A fresh model of the same architecture, to load the checkpoint into. */
  fresh: () => sn.nn.Sequential;
}

export const weightsOf = (model: sn.nn.Module): Record<string, number[]> =>
  Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.toFloat32Array())]));

/**
 * Trains a linear classifier for 4 epochs with a learning rate that rises every epoch, under
 * `fitAsync`, with `new ModelCheckpoint(path, options)`: monitoring 'lr' in mode 'min' makes epoch
 * 0 the only best.
 */
export async function checkpointRun(path: string, options: sn.callbacks.ModelCheckpointOptions): Promise<CheckpointRun> {
  const fresh = () => new sn.nn.Sequential(new sn.nn.Flatten(), new sn.nn.Linear(4, 2));
  sn.manualSeed(3);
  const model = fresh();
  const train = new sn.data.TensorDataset(sn.randn([16, 4]), Array.from({ length: 16 }, (_, i) => i % 2));
  const checkpoint = new sn.callbacks.ModelCheckpoint(path, options);
  const weights: Record<string, number[]>[] = [];
  await sn.fitAsync(model, {
    train, epochs: 4, batchSize: 8, optimizer: new sn.optim.SGD(model.parameters(), { lr: 0.1 }), lrSchedule: (e) => 0.1 * (e + 1),
    callbacks: [{ onEpochEnd: () => void weights.push(weightsOf(model)) }, checkpoint],
  });
  return { checkpoint, weights, fresh };
}

import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { checkpointRun, weightsOf } from './helpers/checkpoint-run.js';

describe.runIf(typeof indexedDB !== 'undefined')("ModelCheckpoint to 'indexeddb://name'", () => {
  it('keeps the best epoch in the browser\'s IndexedDB', async () => {
    const run = await checkpointRun('indexeddb://checkpoint-test', { monitor: 'lr', mode: 'min', saveBestOnly: true });
    expect(run.checkpoint.savedEpochs).toEqual([0]);
    const loaded = run.fresh();
    await sn.io.load(loaded, 'indexeddb://checkpoint-test');
    expect(weightsOf(loaded)).toEqual(run.weights[0]);
  });
});

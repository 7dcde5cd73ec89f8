import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { checkpointRun, weightsOf } from './helpers/checkpoint-run.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnn-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ModelCheckpoint to a file', () => {
  it('saves only the best epoch with saveBestOnly, with the metadata given, leaving no temporary file', async () => {
    const path = join(dir, 'best.safetensors');
    const run = await checkpointRun(path, { monitor: 'lr', mode: 'min', saveBestOnly: true, metadata: { classes: '["a","b"]' } });
    expect(run.checkpoint.savedEpochs).toEqual([0]);
    expect(run.checkpoint.best).toBe(0.1);
    const loaded = run.fresh();
    await sn.io.load(loaded, path);
    expect(weightsOf(loaded)).toEqual(run.weights[0]);
    expect(sn.io.readSafetensorsHeader(new Uint8Array(readFileSync(path))).metadata).toEqual({ classes: '["a","b"]' });
    expect(readdirSync(dir)).toEqual(['best.safetensors']);
  });

  it('saves after every epoch without saveBestOnly: the file holds the last', async () => {
    const path = join(dir, 'every.safetensors');
    const run = await checkpointRun(path, {});
    expect(run.checkpoint.savedEpochs).toEqual([0, 1, 2, 3]);
    const loaded = run.fresh();
    await sn.io.load(loaded, path);
    expect(weightsOf(loaded)).toEqual(run.weights[3]);
  });

  it('stops training with the save\'s error, naming the file', async () => {
    await expect(checkpointRun(join(dir, 'missing-folder', 'x.safetensors'), {})).rejects.toThrow(/save: cannot write '.*missing-folder\/x\.safetensors'/);
  });
});

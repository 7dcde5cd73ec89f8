import { afterEach, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/index.js';
import { DataLoader, createDataset, type Batch, type Dataset } from '../src/data/index.js';
import { manualSeed } from '../src/random.js';

afterEach(() => setBackend('wasm'));

/** `n` images [1, 2, 2] whose four pixels all equal the sample's index; label = index % 3. */
function indexedDataset(n: number): Dataset {
  const pixels = Float32Array.from({ length: n * 4 }, (_, k) => Math.floor(k / 4));
  return createDataset({ data: pixels, shape: [n, 1, 2, 2] }, Int32Array.from({ length: n }, (_, i) => i % 3));
}

/** The sample indices of one pass, batch by batch. */
const pass = (loader: DataLoader): number[][] => [...loader].map((batch) => Array.from(batch.indices));

describe.each(['wasm', 'ts'] as const)('DataLoader on the %s backend', (backend) => {
  it.each([true, false])('makes batches whose images, labels and targets are those of the samples named by indices (shuffle: %s)', (shuffle) => {
    setBackend(backend);
    const loader = new DataLoader(indexedDataset(10), { batchSize: 4, shuffle });
    for (const { x, y, targets, indices } of loader) {
      expect(x.backend.name).toBe(backend);
      expect(x.shape).toEqual([indices.length, 1, 2, 2]);
      expect(Array.from(x.toFloat32Array())).toEqual(Array.from(indices).flatMap((i) => [i, i, i, i]));
      expect(Array.from(y)).toEqual(Array.from(indices, (i) => i % 3));
      expect(targets.shape).toEqual([indices.length]);
      expect(Array.from(targets.toFloat32Array())).toEqual(Array.from(y));
    }
  });
});

describe('DataLoader batches', () => {
  it('visit the samples in order without shuffle, the last batch holding the remainder', () => {
    const loader = new DataLoader(indexedDataset(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(pass(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('leave out the last partial batch with dropLast, and keep a full last batch either way', () => {
    expect(pass(new DataLoader(indexedDataset(10), { batchSize: 4, dropLast: true }))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(indexedDataset(10), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(pass(new DataLoader(indexedDataset(6), { batchSize: 3, dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(pass(new DataLoader(indexedDataset(3), { batchSize: 5, dropLast: true }))).toEqual([]);
    expect(pass(new DataLoader(indexedDataset(3), { batchSize: 5 }))).toEqual([[0, 1, 2]]);
  });

  it('cover every sample exactly once per shuffled epoch, with batches of batchSize and a last partial one', () => {
    manualSeed(5);
    const loader = new DataLoader(indexedDataset(103), { batchSize: 16, shuffle: true });
    for (let epoch = 0; epoch < 3; epoch++) {
      const batches = pass(loader);
      expect(batches.map((b) => b.length)).toEqual([16, 16, 16, 16, 16, 16, 7]);
      expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    }
  });

  it('shuffle in the same order for the same seed, and in a new order every epoch', () => {
    const loader = new DataLoader(indexedDataset(50), { batchSize: 8, shuffle: true });
    manualSeed(42);
    const first = [pass(loader).flat(), pass(loader).flat()];
    manualSeed(42);
    const again = [pass(loader).flat(), pass(loader).flat()];
    expect(again).toEqual(first);
    expect(first[1]).not.toEqual(first[0]);
    expect(first[0]).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    manualSeed(43);
    expect(pass(loader).flat()).not.toEqual(first[0]);
  });

  it('draw the order when a pass starts, so random draws made during the pass do not change it', () => {
    const loader = new DataLoader(indexedDataset(20), { batchSize: 4, shuffle: true });
    manualSeed(7);
    const plain = pass(loader).flat();
    manualSeed(7);
    const interleaved: number[] = [];
    for (const batch of loader) {
      interleaved.push(...batch.indices);
      manualSeed(interleaved.length); // stands for dropout drawing from the same generator
    }
    expect(interleaved).toEqual(plain);
  });

  it('put each sample first about equally often over many epochs', () => {
    manualSeed(1);
    const loader = new DataLoader(indexedDataset(5), { batchSize: 5, shuffle: true });
    const firsts = [0, 0, 0, 0, 0];
    for (let epoch = 0; epoch < 2000; epoch++) firsts[(loader[Symbol.iterator]().next().value as Batch).indices[0]]++;
    // 400 expected each, binomial standard deviation 17.9: 90 is five of them.
    for (const count of firsts) expect(Math.abs(count - 400)).toBeLessThan(90);
  });
});

describe('DataLoader and createDataset refuse bad input', () => {
  it('a batchSize that is not a positive integer, naming the option and the value', () => {
    const dataset = indexedDataset(4);
    expect(() => new DataLoader(dataset, { batchSize: 0 })).toThrow('DataLoader: batchSize must be a positive integer, got 0');
    expect(() => new DataLoader(dataset, { batchSize: -2 })).toThrow('DataLoader: batchSize must be a positive integer, got -2');
    expect(() => new DataLoader(dataset, { batchSize: 2.5 })).toThrow('DataLoader: batchSize must be a positive integer, got 2.5');
    expect(() => new DataLoader(dataset, { batchSize: NaN })).toThrow('DataLoader: batchSize must be a positive integer, got NaN');
  });

  it('images and labels of different counts', () => {
    const images = { data: new Float32Array(12), shape: [3, 1, 2, 2] as const };
    expect(() => createDataset(images, new Int32Array(2))).toThrow('createDataset: 3 images but 2 labels (length 3); every image needs one label');
    expect(() => new DataLoader({ images, labels: new Int32Array(3), length: 4 }, { batchSize: 1 }))
      .toThrow('DataLoader: 3 images but 3 labels (length 4); every image needs one label');
  });

  it('images whose data does not fill their shape, or that are not [N, C, H, W]', () => {
    expect(() => createDataset({ data: new Float32Array(10), shape: [3, 1, 2, 2] }, new Int32Array(3)))
      .toThrow('createDataset: images of shape [3, 1, 2, 2] hold 12 values but their data has 10');
    const flat = { data: new Float32Array(6), shape: [3, 2] as unknown as [number, number, number, number] };
    expect(() => createDataset(flat, new Int32Array(3))).toThrow('createDataset: images must have shape [N, C, H, W], got [3, 2]');
  });
});

import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

describe('TensorDataset', () => {
  it('holds inputs [N, ...] with class indices as labels, batched like any data set', () => {
    const inputs = sn.tensor([[0, 1], [2, 3], [4, 5]]);
    const dataset = new sn.data.TensorDataset(inputs, [2, 0, 1]);
    expect(dataset.length).toBe(3);
    expect(Array.from(dataset.labels)).toEqual([2, 0, 1]);
    expect(dataset.targets).toBeUndefined();
    const [first, second] = [...new sn.data.DataLoader(dataset, { batchSize: 2 })];
    expect(first.x.toArray()).toEqual([[0, 1], [2, 3]]);
    expect(Array.from(first.y)).toEqual([2, 0]);
    expect(first.targets.toArray()).toEqual([2, 0]);
    expect(second.x.shape).toEqual([1, 2]);
  });

  it('holds float targets [N, ...] (multi-label, probabilities, regression) and batches them as they are', () => {
    const dataset = new sn.data.TensorDataset({ data: [1, 2, 3, 4, 5, 6], shape: [3, 1, 1, 2] }, sn.tensor([[0, 1], [1, 1], [0.5, 0]]));
    expect(dataset.labels).toHaveLength(0);
    expect(dataset.targets?.shape).toEqual([3, 2]);
    const [batch] = [...new sn.data.DataLoader(dataset, { batchSize: 3 })];
    expect(batch.x.shape).toEqual([3, 1, 1, 2]);
    expect(batch.targets.toArray()).toEqual([[0, 1], [1, 1], [0.5, 0]]);
    expect(batch.y).toHaveLength(0);
  });

  it('copies its inputs: later changes to the source do not reach it', () => {
    const data = new Float32Array([1, 2]);
    const dataset = new sn.data.TensorDataset({ data, shape: [2, 1] }, new Int32Array([0, 1]));
    data[0] = 9;
    expect(dataset.images.data[0]).toBe(1);
  });

  it('refuses mismatched counts, bad class indices and shapeless inputs, naming them', () => {
    expect(() => new sn.data.TensorDataset(sn.zeros([3, 2]), [0, 1])).toThrow('TensorDataset: 3 images but 2 labels (length 3); every image needs one label');
    expect(() => new sn.data.TensorDataset(sn.zeros([3, 2]), sn.zeros([2, 4]))).toThrow(/TensorDataset: 3 samples but targets of shape \[2, 4\]/);
    expect(() => new sn.data.TensorDataset(sn.zeros([2, 2]), [0, 1.5])).toThrow('TensorDataset: class indices must be non-negative integers, got 1.5');
    expect(() => new sn.data.TensorDataset({ data: [1], shape: [] }, [0])).toThrow('TensorDataset: inputs must have shape [N, ...], got []');
    expect(() => new sn.data.TensorDataset({ data: [1, 2, 3], shape: [2, 2] }, [0, 1])).toThrow('TensorDataset: inputs of shape [2, 2] hold 4 values but their data has 3');
  });
});

describe('DataLoader with a transform', () => {
  it('applies it to every batch of images, from the seeded generator', () => {
    const images = { data: Float32Array.from({ length: 4 * 3 }, (_, i) => i), shape: [4, 1, 1, 3] };
    const dataset = sn.data.createDataset(images, new Int32Array([0, 1, 2, 3]));
    const loader = new sn.data.DataLoader(dataset, { batchSize: 4, transform: new sn.data.transforms.RandomHorizontalFlip(1) });
    const [batch] = [...loader];
    expect(batch.x.toArray()).toEqual([[[[2, 1, 0]]], [[[5, 4, 3]]], [[[8, 7, 6]]], [[[11, 10, 9]]]]);
    expect(Array.from(batch.y)).toEqual([0, 1, 2, 3]);
  });
});

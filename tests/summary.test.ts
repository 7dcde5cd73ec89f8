import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';

describe('summary', () => {
  it('gives each layer of LeNet its output shape, parameter count and receptive field', () => {
    const s = sn.summary(sn.models.createModel('lenet'), [1, 1, 28, 28]);
    const rows = s.rows.map((r) => [r.name, r.type, r.outputShape, r.params]);
    expect(rows).toEqual([
      ['0', 'Conv2d', [1, 8, 24, 24], 8 * 25 + 8],
      ['1', 'ReLU', [1, 8, 24, 24], 0],
      ['2', 'MaxPool2d', [1, 8, 12, 12], 0],
      ['3', 'Conv2d', [1, 16, 8, 8], 16 * 8 * 25 + 16],
      ['4', 'ReLU', [1, 16, 8, 8], 0],
      ['5', 'MaxPool2d', [1, 16, 4, 4], 0],
      ['6', 'Flatten', [1, 256], 0],
      ['7', 'Linear', [1, 10], 2570],
    ]);
    // conv 5×5: 5 (jump 1); pool 2: 6 (jump 2); conv 5×5: 6 + 4·2 = 14 (jump 2); pool 2: 16 (jump 4).
    expect(s.rows.map((r) => (r.receptiveField.global ? 'global' : r.receptiveField.size[0]))).toEqual([5, 5, 6, 14, 14, 16, 16, 'global']);
    expect(s.rows[5].receptiveField.jump).toEqual([4, 4]);
    expect(s.totalParams).toBe(208 + 3216 + 2570);
    expect(s.layersWithWeights).toBe(3);
  });

  it('prints a table with a row per layer and the totals', () => {
    const text = sn.summary(sn.models.createModel('lenet'), [1, 1, 28, 28]).toString();
    expect(text).toContain('Conv2d');
    expect(text).toContain('[1, 16, 4, 4]');
    expect(text).toContain('Total params: 5,994');
  });

  it('counts dilation and stride in the receptive field', () => {
    const model = new sn.nn.Sequential(new sn.nn.Conv2d(1, 1, 3, { dilation: 2, stride: 2 }), new sn.nn.Conv2d(1, 1, 3));
    const s = sn.summary(model, [1, 1, 20, 20]);
    expect(s.rows[0].receptiveField).toEqual({ size: [5, 5], jump: [2, 2], global: false });
    expect(s.rows[1].receptiveField).toEqual({ size: [9, 9], jump: [2, 2], global: false });
  });

  it('names the layer that cannot take the input shape', () => {
    expect(() => sn.summary(sn.models.createModel('lenet'), [1, 3, 28, 28])).toThrow(/summary: layer 0 \(Conv2d\) failed on an input of shape \[1, 3, 28, 28\]/);
  });
});

import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { memoryBytes } from '../bindings/memory.js';

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

/** conv 3×3 → ReLU → conv 3×3 (stride `stride` on the first), added to the input (through a 1×1 conv when strided). */
class ResidualBlock extends sn.nn.Module {
  readonly conv1: sn.nn.Conv2d;
  readonly relu = this.registerModule('relu', new sn.nn.ReLU());
  readonly conv2: sn.nn.Conv2d;
  readonly shortcut: sn.nn.Conv2d | undefined;
  constructor(channels: number, stride = 1) {
    super();
    this.conv1 = this.registerModule('conv1', new sn.nn.Conv2d(channels, channels, 3, { padding: 1, stride }));
    this.conv2 = this.registerModule('conv2', new sn.nn.Conv2d(channels, channels, 3, { padding: 1 }));
    this.shortcut = stride > 1 ? this.registerModule('shortcut', new sn.nn.Conv2d(channels, channels, 1, { stride })) : undefined;
  }
  forward(x: sn.Tensor): sn.Tensor {
    const skip = this.shortcut ? this.shortcut.forward(x) : x;
    return sn.F.relu(sn.add(this.conv2.forward(this.relu.forward(this.conv1.forward(x))), skip));
  }
}

/** Two branches joined by cat: a 1×1 conv and a 5×5 conv. */
class TwoBranches extends sn.nn.Module {
  readonly narrow = this.registerModule('narrow', new sn.nn.Conv2d(2, 3, 1));
  readonly wide = this.registerModule('wide', new sn.nn.Conv2d(2, 3, 5, { padding: 2 }));
  forward(x: sn.Tensor): sn.Tensor {
    return sn.cat([this.narrow.forward(x), this.wide.forward(x)], 1);
  }
}

const field = (s: sn.Summary) => s.rows.map((r) => [r.name, r.receptiveField.global ? 'global' : r.receptiveField.size[0], r.receptiveField.jump[0]]);

describe('summary of models with their own forward', () => {
  it('follows a residual block: its layers by dotted name, the add keeping the larger field', () => {
    const model = new sn.nn.Sequential(new ResidualBlock(2), new sn.nn.Conv2d(2, 2, 3), new ResidualBlock(2, 2));
    const s = sn.summary(model, [1, 2, 12, 12]);
    expect(s.rows.map((r) => [r.name, r.type, r.outputShape])).toEqual([
      ['0.conv1', 'Conv2d', [1, 2, 12, 12]], ['0.relu', 'ReLU', [1, 2, 12, 12]], ['0.conv2', 'Conv2d', [1, 2, 12, 12]],
      ['1', 'Conv2d', [1, 2, 10, 10]],
      ['2.shortcut', 'Conv2d', [1, 2, 5, 5]], ['2.conv1', 'Conv2d', [1, 2, 5, 5]], ['2.relu', 'ReLU', [1, 2, 5, 5]], ['2.conv2', 'Conv2d', [1, 2, 5, 5]],
    ]);
    // Block 0 grows the field 1 → 3 → 5; the add with the skip (1) keeps 5, so the next conv sees 7.
    // In block 2 the shortcut sees 7, conv1 (stride 2) 9 with jump 2, conv2 9 + 2·2 = 13.
    expect(field(s)).toEqual([
      ['0.conv1', 3, 1], ['0.relu', 3, 1], ['0.conv2', 5, 1], ['1', 7, 1],
      ['2.shortcut', 7, 2], ['2.conv1', 9, 2], ['2.relu', 9, 2], ['2.conv2', 13, 2],
    ]);
    expect(s.totalParams).toBe(5 * (2 * 2 * 9 + 2) + (2 * 2 + 2));
  });

  it('takes the widest branch of a cat, and continues after it', () => {
    const model = new sn.nn.Sequential(new TwoBranches(), new sn.nn.Conv2d(6, 1, 3));
    const s = sn.summary(model, [1, 2, 9, 9]);
    expect(field(s)).toEqual([['0.narrow', 1, 1], ['0.wide', 5, 1], ['1', 7, 1]]);
    expect(s.rows[2].outputShape).toEqual([1, 1, 7, 7]);
  });

  it('gives pooling, upsampling, transposed convolution and global pooling their fields', () => {
    const model = new sn.nn.Sequential(
      new sn.nn.Conv2d(1, 2, 3, { padding: 1 }), new sn.nn.MaxPool2d(2), new sn.nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }),
      new sn.nn.ConvTranspose2d(2, 2, 4, { stride: 2, padding: 1 }), new sn.nn.AdaptiveAvgPool2d([4, 4]), new sn.nn.AdaptiveAvgPool2d(1),
      new sn.nn.Flatten(), new sn.nn.Linear(2, 3),
    );
    const s = sn.summary(model, [1, 1, 16, 16]);
    expect(s.rows.map((r) => r.outputShape)).toEqual([[1, 2, 16, 16], [1, 2, 8, 8], [1, 2, 16, 16], [1, 2, 32, 32], [1, 2, 4, 4], [1, 2, 1, 1], [1, 2], [1, 3]]);
    // conv 3 (jump 1); pool 2 → 4 (jump 2); bilinear ×2 reads 2 units → 6 (jump 1); transposed
    // conv 4 stride 2 reads 2 units → 7 (jump ½); adaptive 32 → 4 pools 8 units → 7 + 7·½ (jump 4).
    expect(field(s).slice(0, 5)).toEqual([['0', 3, 1], ['1', 4, 2], ['2', 6, 1], ['3', 7, 0.5], ['4', 10.5, 4]]);
    expect(field(s).slice(5).map(([, size]) => size)).toEqual(['global', 'global', 'global']);
  });

  it('names the layer inside a custom module that cannot take its input, and leaves the model usable', () => {
    const model = new sn.nn.Sequential(new ResidualBlock(2));
    expect(() => sn.summary(model, [1, 3, 8, 8])).toThrow(/summary: layer 0\.conv1 \(Conv2d\) failed on an input of shape \[1, 3, 8, 8\]/);
    expect(() => sn.summary(new TwoBranches(), [1, 2, 3])).toThrow(/summary: layer narrow \(Conv2d\) failed/);
    const s = sn.summary(model, [1, 2, 8, 8]);
    expect(s.rows).toHaveLength(3);
    expect(model.training).toBe(true);
    expect(model.forward(sn.ones([1, 2, 8, 8])).shape).toEqual([1, 2, 8, 8]); // parameters intact
    expect(model.parameters().every((p) => p.grad === undefined)).toBe(true);
  });
});

/** A layer of its own (no children): a weight, then functional conv2d (dilation 2) and 2×2 max pooling. */
class FunctionalFeatures extends sn.nn.Module {
  readonly weight = this.registerParameter('weight', sn.randn([2, 1, 3, 3]));
  forward(x: sn.Tensor): sn.Tensor {
    return sn.F.maxPool2d(sn.F.conv2d(x, this.weight, undefined, { dilation: 2 }), { kernelSize: 2 });
  }
}

describe('summary of functional code', () => {
  it('composes the fields of the ops a forward calls itself', () => {
    const model = new sn.nn.Sequential(new FunctionalFeatures(), new sn.nn.Conv2d(2, 1, 3), new sn.nn.Flatten(), new sn.nn.Linear(16, 2));
    const s = sn.summary(model, [1, 1, 16, 16]);
    // conv 3×3 dilated 2: 5; pool 2: 6, jump 2; conv 3×3: 6 + 2·2 = 10; the linear layer sees everything.
    expect(field(s)).toEqual([['0', 6, 2], ['1', 10, 2], ['2', 10, 2], ['3', 'global', 2]]);
    expect(s.rows.map((r) => [r.type, r.params])).toEqual([['FunctionalFeatures', 18], ['Conv2d', 19], ['Flatten', 0], ['Linear', 34]]);
  });
});

describe('summary memory', () => {
  it('frees the tensors of its pass: repeated summaries do not grow wasm memory', () => {
    const model = new sn.nn.Sequential(new ResidualBlock(8), new ResidualBlock(8, 2), new sn.nn.AdaptiveAvgPool2d(1));
    sn.summary(model, [4, 8, 64, 64]);
    const before = memoryBytes();
    for (let i = 0; i < 30; i++) sn.summary(model, [4, 8, 64, 64]);
    expect(memoryBytes()).toBe(before);
  });
});

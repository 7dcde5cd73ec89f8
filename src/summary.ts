import { noGrad } from './autograd.js';
import { zeros } from './creation.js';
import { SimdnnError, formatShape } from './errors.js';
import { Conv2d } from './nn/conv2d.js';
import { Linear } from './nn/linear.js';
import type { Module } from './nn/module.js';
import { AvgPool2d, MaxPool2d } from './nn/pooling.js';
import { Sequential } from './nn/sequential.js';
import type { Tensor } from './tensor.js';

/**
 * The receptive field of one output unit, in input pixels: its `size` [h, w] and the `jump` [h, w]
 * between neighbouring units. A unit after a Linear layer sees the whole input (`global`).
 */
export interface ReceptiveField {
  size: [number, number];
  jump: [number, number];
  global: boolean;
}

/** One layer of a model summary. */
export interface SummaryRow {
  /** The layer's name in `stateDict()` keys (`"0"`, `"3"`, `"features.1"`). */
  name: string;
  type: string;
  outputShape: number[];
  params: number;
  receptiveField: ReceptiveField;
}

/** A model summary: per-layer rows, totals, and `toString()` for a printable table. */
export interface Summary {
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  /** How many layers hold weights (conv, linear, batch norm …). */
  layersWithWeights: number;
  toString(): string;
}

/**
 * Describes `model` for an input of `inputShape` (batch included, e.g. `[1, 1, 28, 28]`): runs one
 * forward pass on zeros without recording a graph, layer by layer (nested Sequentials are walked), and
 * reports each layer's output shape, parameter count and receptive field.
 */
export function summary(model: Module, inputShape: readonly number[]): Summary {
  const layers = leafLayers(model, '');
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let x: Tensor = zeros(inputShape);
      let field: ReceptiveField = { size: [1, 1], jump: [1, 1], global: false };
      const rows: SummaryRow[] = [];
      for (const [name, layer] of layers) {
        try {
          x = layer.forward(x);
        } catch (cause) {
          throw new SimdnnError(`summary: layer ${name} (${layer.constructor.name}) failed on an input of shape ${formatShape(x.shape)}: ${(cause as Error).message}`, { cause });
        }
        field = nextField(field, layer);
        const params = layer.parameters().reduce((n, p) => n + p.size, 0);
        rows.push({ name, type: layer.constructor.name, outputShape: [...x.shape], params, receptiveField: field });
      }
      const params = model.parameters();
      const totalParams = params.reduce((n, p) => n + p.size, 0);
      const trainableParams = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
      const layersWithWeights = rows.filter((r) => r.params > 0).length;
      return { rows, totalParams, trainableParams, layersWithWeights, toString: () => formatTable(rows, totalParams, trainableParams, layersWithWeights, inputShape) };
    });
  } finally {
    model.train(wasTraining);
  }
}

function leafLayers(module: Module, prefix: string): [string, Module][] {
  if (!(module instanceof Sequential)) return [[prefix || module.constructor.name, module]];
  return module.namedChildren().flatMap(([name, child]) => leafLayers(child, prefix ? `${prefix}.${name}` : name));
}

/** Receptive-field recurrence: size += (effective kernel − 1)·jump, jump *= stride. */
function nextField(field: ReceptiveField, layer: Module): ReceptiveField {
  if (field.global || layer instanceof Linear) return { ...field, global: true };
  let kernel: [number, number], stride: [number, number], dilation: [number, number] = [1, 1];
  if (layer instanceof Conv2d) {
    [kernel, stride, dilation] = [layer.kernelSize, layer.stride, layer.dilation];
  } else if (layer instanceof MaxPool2d || layer instanceof AvgPool2d) {
    [kernel, stride] = [layer.kernelSize, layer.stride];
  } else {
    return field;
  }
  const axis = (i: 0 | 1) => field.size[i] + (dilation[i] * (kernel[i] - 1)) * field.jump[i];
  return { size: [axis(0), axis(1)], jump: [field.jump[0] * stride[0], field.jump[1] * stride[1]], global: false };
}

function formatTable(rows: SummaryRow[], total: number, trainable: number, withWeights: number, inputShape: readonly number[]): string {
  const header = ['Layer', 'Type', 'Output shape', 'Params', 'Receptive field (jump)'];
  const body = rows.map((r) => [
    r.name, r.type, formatShape(r.outputShape), r.params.toLocaleString('en-US'),
    r.receptiveField.global ? 'whole input' : `${r.receptiveField.size.join('×')} (${r.receptiveField.jump.join('×')})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    `Input shape: ${formatShape(inputShape)}`, line(header), rule, ...body.map(line), rule,
    `Total params: ${total.toLocaleString('en-US')} (trainable ${trainable.toLocaleString('en-US')}), layers with weights: ${withWeights}`,
  ].join('\n');
}

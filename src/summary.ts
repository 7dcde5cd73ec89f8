import type { Module } from './nn/module.js';
import { traceLeafCalls } from './summary/trace.js';
import type { ReceptiveField } from './summary/receptive-field.js';
import { formatShape } from './errors.js';

export type { ReceptiveField } from './summary/receptive-field.js';

/** One layer call of a model summary. */
export interface SummaryRow {
  /** The layer's name in `stateDict()` keys (`"0"`, `"3"`, `"features.1"`, `"layer1.0.conv1"`). */
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
  /** How many rows are layers with weights (conv, linear, batch norm …). */
  layersWithWeights: number;
  toString(): string;
}

/**
 * Describes `model` for an input of `inputShape` (batch included, e.g. `[1, 1, 28, 28]`): runs one
 * forward pass on zeros in eval mode and reports, for every call of a layer without children (in
 * call order, however the model's forward combines them: Sequential, residual blocks, cat …), its
 * output shape, parameter count and receptive field. Fields are composed along the recorded graph
 * through every op that moves pixels (convolutions, pooling, resizing, linear layers, whether called
 * by a layer or functionally), taking the larger field where paths join (`sn.add`, `sn.cat`).
 */
export function summary(model: Module, inputShape: readonly number[]): Summary {
  const wasTraining = model.training;
  model.eval();
  let calls;
  try {
    calls = traceLeafCalls(model, inputShape);
  } finally {
    model.train(wasTraining);
  }
  const rows = calls.map(({ name, layer, outputShape, field }) => ({
    name, type: layer.constructor.name, outputShape, params: layer.parameters().reduce((n, p) => n + p.size, 0), receptiveField: field,
  }));
  const params = model.parameters();
  const totalParams = params.reduce((n, p) => n + p.size, 0);
  const trainableParams = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  const layersWithWeights = rows.filter((r) => r.params > 0).length;
  return { rows, totalParams, trainableParams, layersWithWeights, toString: () => formatTable(rows, totalParams, trainableParams, layersWithWeights, inputShape) };
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

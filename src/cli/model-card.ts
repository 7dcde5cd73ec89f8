// What `simdnn train --save` writes beside the weights, in the safetensors `__metadata__` (strings,
// JSON where a value is a list), so that `simdnn predict` can rebuild the model and prepare images
// as training did.
import { presetNames, type PresetName } from '../models/presets.js';
import { UsageError } from './options.js';

/** A trained model's description. */
export interface ModelCard {
  /** The preset (`createModel`) the weights belong to. */
  model: PresetName;
  /** Class names, index = the model's output. */
  classes: string[];
  /** [channels, height, width] of the images the model takes. */
  inputShape: [number, number, number];
  /** Per-channel mean and standard deviation the images were normalised with. */
  mean: number[];
  std: number[];
}

/** The card as safetensors metadata. */
export function cardMetadata(card: ModelCard): Record<string, string> {
  return {
    model: card.model,
    classes: JSON.stringify(card.classes),
    input_shape: JSON.stringify(card.inputShape),
    mean: JSON.stringify(card.mean),
    std: JSON.stringify(card.std),
  };
}

/** The card read back from the metadata of the file at `path`; a missing or malformed key is named. */
export function readCard(path: string, metadata: Record<string, string>): ModelCard {
  const problems: string[] = [];
  const json = (key: string, ok: (v: unknown) => boolean): unknown => {
    if (!(key in metadata)) return void problems.push(`no '${key}'`);
    try {
      const value: unknown = JSON.parse(metadata[key]);
      if (ok(value)) return value;
    } catch { /* reported below */ }
    problems.push(`'${key}' is ${JSON.stringify(metadata[key])}`);
  };
  const numbers = (n?: number) => (v: unknown) => Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const model = metadata.model as PresetName;
  if (!presetNames.includes(model)) problems.push(model === undefined ? "no 'model'" : `'model' is ${JSON.stringify(model)}, not one of ${presetNames.join(', ')}`);
  const classes = json('classes', (v) => Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string'));
  const inputShape = json('input_shape', (v) => numbers(3)(v) && (v as number[]).every((x) => Number.isInteger(x) && x > 0));
  const mean = json('mean', numbers());
  const std = json('std', numbers());
  if (problems.length > 0) {
    throw new UsageError(`${path} does not describe a model for simdnn predict (${problems.join('; ')}); save one with 'simdnn train --save'`);
  }
  return { model, classes: classes as string[], inputShape: inputShape as [number, number, number], mean: mean as number[], std: std as number[] };
}

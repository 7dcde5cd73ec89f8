// `simdnn predict`: the top-5 classes of images, by a model saved with `simdnn train --save`.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { noGrad } from '../autograd.js';
import { loadImage } from '../data/image-folder.js';
import { Normalize } from '../data/transforms/normalize.js';
import { softmax } from '../functional/softmax.js';
import { readSafetensorsHeader, SafetensorsError } from '../io/safetensors.js';
import { load } from '../io/save-load.js';
import { createModel } from '../models/presets.js';
import { readCard } from './model-card.js';
import { UsageError } from './options.js';

export const PREDICT_HELP = `Usage: simdnn predict --load MODEL.safetensors IMAGE [IMAGE ...]

Prints the 5 most likely classes of each PNG or JPEG image, with their probabilities, by a model
saved with 'simdnn train --save' (its file holds the classes, input size and normalisation).`;

/** How many classes are printed per image. */
const TOP = 5;

export async function predictCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, strict: true, allowPositionals: true,
    options: { load: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(PREDICT_HELP);
  if (values.load === undefined) throw new UsageError('predict needs --load MODEL.safetensors (written by simdnn train --save)');
  if (positionals.length === 0) throw new UsageError('predict needs at least one image file after the options');
  const path = values.load;
  const bytes = await readFile(path).catch((error: Error) => {
    throw new UsageError(`cannot read ${path}: ${error.message}`);
  });
  let metadata: Record<string, string>;
  try {
    metadata = readSafetensorsHeader(bytes).metadata;
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw error;
    throw new UsageError(`${path} is not a safetensors file: ${error.message}`);
  }
  const card = readCard(path, metadata);
  const [channels, height, width] = card.inputShape;
  const model = createModel(card.model, { channels, height, width, classes: card.classes.length });
  await load(model, path);
  model.eval();
  const normalize = new Normalize(card.mean, card.std);

  for (const image of positionals) {
    const x = await loadImage(image, { size: [height, width], grayscale: channels === 1 });
    const probabilities = noGrad(() => softmax(model.forward(normalize.forward(x)), 1)).toFloat32Array();
    const ranked = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a] || a - b).slice(0, TOP);
    const nameWidth = Math.max(...ranked.map((c) => card.classes[c].length));
    console.log(image);
    for (const c of ranked) console.log(`  ${card.classes[c].padEnd(nameWidth)}  ${(100 * probabilities[c]).toFixed(2).padStart(6)}%`);
  }
}

// The `simdnn` command: train (MNIST by default, or an image folder), predict, summary, bench. A
// user mistake prints a message and exits with status 2, never a stack trace.
import { parseArgs } from 'node:util';
import { SimdnnError } from '../errors.js';
import { createModel, describeModel, presetNames, type PresetName } from '../models/presets.js';
import { summary } from '../summary.js';
import { runQuickBench } from './bench.js';
import { DEFAULT_THREADS, DETERMINISTIC_HELP, oneOf, positiveInteger, UsageError, useDeterministic, useThreads } from './options.js';
import { predictCommand } from './predict.js';
import { trainCommand } from './train.js';

const HELP = {
  main: `Usage: simdnn <command> [options]

Commands:
  train     train a model on MNIST (default: a small CNN to ≥ 99% test accuracy) or an image folder
  predict   classify images with a model saved by 'train --save'
  summary   print a model's layers, output shapes, parameters and receptive fields
  bench     measure training throughput: wasm on 1 thread and on N threads, and ts

Run 'simdnn <command> --help' for a command's options.`,
  summary: `Usage: simdnn summary [--model NAME]

Prints the layers of a preset model for a 1×1×28×28 input. Models: ${presetNames.join(', ')}.`,
  bench: `Usage: simdnn bench [--model NAME] [--batch-size N] [--steps N] [--threads N] [--deterministic]

Times training steps (forward, backward, Adam) and prints samples/s: the wasm backend at 1 thread
and at N threads (default: ${DEFAULT_THREADS}) in interleaved
rounds, then the ts backend.
${DETERMINISTIC_HELP}
For the full kernel benchmarks (GEMM, convolution, peers) run 'npm run bench' in the repository.`,
};

function summaryCommand(args: string[]): void {
  const { values } = parseArgs({ args, strict: true, options: { model: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(HELP.summary);
  const name: PresetName = oneOf('model', values.model, presetNames, 'default');
  console.log(`${name}: ${describeModel(name)}\n${summary(createModel(name), [1, 1, 28, 28]).toString()}`);
}

async function benchCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      model: { type: 'string' }, 'batch-size': { type: 'string' }, steps: { type: 'string' }, threads: { type: 'string' },
      deterministic: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return void console.log(HELP.bench);
  const options = {
    model: oneOf('model', values.model, presetNames, 'lenet'),
    batchSize: positiveInteger('batch-size', values['batch-size'], 64),
    steps: positiveInteger('steps', values.steps, 20),
  };
  const threads = await useThreads(values.threads);
  useDeterministic(values.deterministic);
  await runQuickBench(options, threads);
}

/** Runs the CLI with `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help') console.log(HELP.main);
    else if (command === 'train') await trainCommand(rest);
    else if (command === 'predict') await predictCommand(rest);
    else if (command === 'summary') summaryCommand(rest);
    else if (command === 'bench') await benchCommand(rest);
    else throw new UsageError(`unknown command '${command}'. Commands: train, predict, summary, bench (see 'simdnn --help')`);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || error instanceof SimdnnError || code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`simdnn: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

// A seeded LeNet training run on a fixed MNIST slice, summarised as SHA-256 hashes of the trained
// weights and of inference outputs. Shared by tests/determinism.test.ts (Node and Chromium main
// thread), tests/threads.test.ts (thread counts) and tests/helpers/seeded-training.worker.ts (a Web
// Worker): equal hashes mean equal bits.
import * as sn from '../../src/index.js';
import slice from '../fixtures/mnist-slice.json';

/** The run: steps and batch size (50 × 32 = the 1,600 training images of the fixture, once). */
export const STEPS = 50;
export const BATCH_SIZE = 32;

/** What a run produces: hex SHA-256 of every weight's raw bytes and of the test logits, and the losses. */
export interface TrainingHashes {
  weights: string;
  outputs: string;
  losses: number[];
}

/** One set of the fixture: gzipped u8 pixels and u8 labels, base64. */
interface EncodedSet {
  count: number;
  images: string;
  labels: string;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  return Uint8Array.from({ length: binary.length }, (_, i) => binary.charCodeAt(i));
}

/** Un-gzips with the Compression Streams API (Node ≥ 18 and browsers alike). */
async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A fixture set as a data set of [N, 1, 28, 28] images scaled to [0, 1]. */
async function decodeSet(set: EncodedSet): Promise<sn.data.Dataset> {
  const pixels = await gunzip(fromBase64(set.images));
  const data = Float32Array.from(pixels, (p) => p / 255);
  return sn.data.createDataset({ data, shape: [set.count, 1, 28, 28] }, Int32Array.from(fromBase64(set.labels)));
}

/** Hex SHA-256 (Web Crypto) of byte chunks taken in order. */
async function sha256(chunks: Uint8Array[]): Promise<string> {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const bytesOf = (t: sn.Tensor): Uint8Array => new Uint8Array(t.toFloat32Array().buffer);

/**
 * Trains the `lenet` preset with Adam (lr 2e-3) for `STEPS` steps of `BATCH_SIZE` shuffled, standardised
 * images from seed 0 on the wasm backend, then hashes every state-dict entry (name and raw f32 bytes,
 * in state-dict order) and the logits of the 256 test images in eval mode.
 */
export async function seededTraining(): Promise<TrainingHashes> {
  sn.setBackend('wasm');
  const [train, test] = await Promise.all([decodeSet(slice.train), decodeSet(slice.test)]);
  const stats = sn.data.channelStats(train.images);
  const trainSet = { ...train, images: sn.data.standardize(train.images, stats) };
  const testImages = sn.data.standardize(test.images, stats);

  sn.manualSeed(0);
  const model = sn.models.createModel('lenet');
  const optimizer = new sn.optim.Adam(model.parameters(), { lr: 2e-3 });
  const loader = new sn.data.DataLoader(trainSet, { batchSize: BATCH_SIZE, shuffle: true });
  const losses: number[] = [];
  model.train();
  for (const batch of loader) {
    optimizer.zeroGrad();
    const loss = sn.F.crossEntropy(model.forward(batch.x), batch.targets);
    losses.push(loss.item());
    loss.backward();
    optimizer.step();
    if (losses.length === STEPS) break;
  }

  model.eval();
  const logits = sn.noGrad(() => model.forward(sn.tensor(testImages.data, [...testImages.shape])));
  const names = new TextEncoder();
  const weights = await sha256(Object.entries(model.stateDict()).flatMap(([name, t]) => [names.encode(name), bytesOf(t)]));
  return { weights, outputs: await sha256([bytesOf(logits)]), losses };
}

/**
 * The run on `threads` threads with the portable kernels when `deterministic` (otherwise the default
 * ones), with the thread count (1 where memory cannot be shared) and kernels that were in effect.
 */
export async function seededTrainingOnThreads(threads: number, deterministic = false): Promise<{ threads: number; variant: string; hashes: TrainingHashes }> {
  await sn.setNumThreads(threads);
  sn.useDeterministicAlgorithms(deterministic);
  try {
    return { threads: sn.getNumThreads(), variant: sn.kernelInfo().variant, hashes: await seededTraining() };
  } finally {
    sn.useDeterministicAlgorithms(false);
  }
}

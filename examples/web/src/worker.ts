// The training worker: holds the data, the model (simdnn's `lenet` preset) and its Adam optimiser;
// trains in short chunks so that predict, save, load and stop requests are answered between them,
// and the page's main thread never computes.
import * as sn from '../../../src/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { DEMO_SETS, PIXELS } from './mnist-files.js';
import { mnistInput } from './mnist-input.js';

const MODEL = 'lenet';
/** Steps per chunk: progress is reported and requests are answered after each. */
const CHUNK_STEPS = 5;
/** The test set is evaluated after a chunk when this many steps passed since the last time, and when a request ends. */
const EVAL_EVERY = 100;

const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<ToWorker>) => void;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

interface State {
  train: sn.data.Dataset;
  test: sn.data.Dataset;
  stats: sn.data.ChannelStats;
  model: sn.nn.Sequential;
  optimizer: sn.optim.Adam;
  step: number;
  /** The step at which the test set was last evaluated. */
  evaluatedAt: number;
  /** Incremented by every train and stop request: a running loop stops when it no longer matches. */
  run: number;
}
let state: State | undefined;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} (was the demo built with its data?)`);
  return new Uint8Array(await response.arrayBuffer());
}

/** One MNIST set from `<dataUrl><name>-images.u8` and `-labels.u8`, pixels scaled to [0, 1]. */
async function loadSet(dataUrl: string, name: string, count: number): Promise<sn.data.Dataset> {
  const [pixels, labels] = await Promise.all([fetchBytes(`${dataUrl}${name}-images.u8`), fetchBytes(`${dataUrl}${name}-labels.u8`)]);
  if (pixels.length !== count * PIXELS || labels.length !== count) throw new Error(`${name}: expected ${count} images and labels`);
  return sn.data.createDataset({ data: Float32Array.from(pixels, (p) => p / 255), shape: [count, 1, 28, 28] }, Int32Array.from(labels));
}

async function init(dataUrl: string): Promise<void> {
  // Starts simdnn's worker threads (the default count: this machine's cores, at most 8) so training
  // is threaded from the first batch; one thread when the page is not cross-origin isolated.
  await sn.ready();
  const [rawTrain, rawTest] = await Promise.all(DEMO_SETS.map((set) => loadSet(dataUrl, set.name, set.count)));
  const stats = sn.data.channelStats(rawTrain.images); // training-set statistics, reused for test and drawings
  const train = { ...rawTrain, images: sn.data.standardize(rawTrain.images, stats) };
  const test = { ...rawTest, images: sn.data.standardize(rawTest.images, stats) };
  sn.manualSeed(0);
  const model = sn.models.createModel(MODEL);
  const optimizer = new sn.optim.Adam(model.parameters(), { lr: 2e-3 });
  state = { train, test, stats, model, optimizer, step: 0, evaluatedAt: 0, run: 0 };
  const parameters = model.parameters().reduce((n, p) => n + p.size, 0);
  post({ type: 'ready', trainSize: train.length, testSize: test.length, parameters, threads: sn.getNumThreads(), isolated: globalThis.crossOriginIsolated });
}

function evaluateTest(s: State): void {
  const { loss, accuracy } = sn.evaluate(s.model, s.test);
  s.evaluatedAt = s.step;
  post({ type: 'evaluated', step: s.step, testLoss: loss, testAccuracy: accuracy });
}

/** Lets queued messages (predict, stop …) run before the next chunk. */
const yieldToMessages = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function train(s: State, steps: number, batchSize: number): Promise<void> {
  const run = ++s.run;
  const loader = new sn.data.DataLoader(s.train, { batchSize, shuffle: true, dropLast: true });
  let batches = loader[Symbol.iterator]();
  let [samples, seconds] = [0, 0]; // over this request, evaluation excluded
  for (let done = 0; done < steps && run === s.run;) {
    const start = performance.now();
    let [chunkSamples, lossSum, correct] = [0, 0, 0];
    s.model.train();
    for (let i = 0; i < CHUNK_STEPS && done < steps; i++, done++) {
      let next = batches.next();
      if (next.done) next = (batches = loader[Symbol.iterator]()).next(); // a new epoch, reshuffled
      const { x, y, targets } = next.value as sn.data.Batch;
      s.optimizer.zeroGrad();
      const logits = s.model.forward(x);
      const loss = sn.F.crossEntropy(logits, targets);
      loss.backward();
      s.optimizer.step();
      const predicted = logits.argmax(1);
      const classes = predicted.toFloat32Array();
      correct += y.reduce((n, label, k) => n + (classes[k] === label ? 1 : 0), 0);
      lossSum += loss.item() * y.length;
      chunkSamples += y.length;
      for (const t of [x, targets, logits, loss, predicted]) t.dispose();
      s.step++;
    }
    samples += chunkSamples;
    seconds += (performance.now() - start) / 1000;
    post({ type: 'progress', step: s.step, loss: lossSum / chunkSamples, accuracy: correct / chunkSamples, samplesPerSecond: samples / seconds });
    if (s.step - s.evaluatedAt >= EVAL_EVERY) evaluateTest(s);
    await yieldToMessages();
  }
  if (run !== s.run) return; // replaced by a newer request, which reports for itself
  if (s.evaluatedAt !== s.step) evaluateTest(s);
  post({ type: 'idle', step: s.step });
}

/** Classifies the drawing: its MNIST-style input (mnist-input.ts), the softmax and the best class. */
function predict(s: State, image: ImageData): void {
  const drawn = mnistInput(image, s.stats);
  if (!drawn) return post({ type: 'prediction', result: undefined });
  const probabilities = sn.noGrad(() => {
    s.model.eval();
    const logits = s.model.forward(drawn.input);
    s.model.train();
    return sn.F.softmax(logits, 1);
  });
  const digit = sn.topK(probabilities, 1).indices.item();
  const result = { digit, probabilities: Array.from(probabilities.toFloat32Array()), preview: drawn.preview };
  post({ type: 'prediction', result }, [drawn.preview.buffer]);
}

/** Loads weights into the model, or leaves it untouched and explains why the file does not fit. */
function load(s: State, name: string, bytes: Uint8Array): void {
  let weights: Record<string, sn.Tensor>;
  try {
    weights = sn.io.fromSafetensors(bytes);
  } catch (error) {
    throw new Error(`'${name}' is not a safetensors file simdnn can read: ${(error as Error).message}`);
  }
  try {
    s.model.loadStateDict(weights);
  } catch (error) {
    throw new Error(`'${name}' holds weights for another architecture than this ${MODEL} model, so nothing was loaded (${(error as Error).message.replace(/^loadStateDict: /, '')})`);
  }
  post({ type: 'loaded', name });
  evaluateTest(s);
}

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') return init(message.dataUrl);
  if (!state) throw new Error('the data is still loading');
  switch (message.type) {
    case 'train': return train(state, message.steps, message.batchSize);
    case 'stop': state.run++; return void post({ type: 'idle', step: state.step });
    case 'predict': return predict(state, message.image);
    case 'save': {
      const bytes = sn.io.toSafetensors(state.model.stateDict(), { model: MODEL, steps: String(state.step), format: 'pt' });
      return post({ type: 'saved', bytes }, [bytes.buffer]);
    }
    case 'load': return load(state, message.name, message.bytes);
  }
}

scope.onmessage = ({ data }) => {
  handle(data).catch((error: unknown) => {
    post({ type: 'error', request: data.type, message: error instanceof Error ? error.message : String(error) });
  });
};

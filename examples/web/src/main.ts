// The demo page: starts the training worker, plots its progress, classifies the drawing, saves and
// loads weights. Everything numeric happens in the worker, so the page stays responsive.
import { drawingPad, padImage } from './draw.js';
import { drawPlot, type Series } from './plot.js';
import type { FromWorker, ToWorker } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  status: $('status'), train: $<HTMLButtonElement>('train'), stop: $<HTMLButtonElement>('stop'),
  steps: $<HTMLInputElement>('steps'), batch: $<HTMLInputElement>('batch'),
  step: $('step'), speed: $('samples-per-second'), threads: $('threads'), testAccuracy: $('test-accuracy'),
  lossPlot: $<HTMLCanvasElement>('loss-plot'), accuracyPlot: $<HTMLCanvasElement>('accuracy-plot'),
  pad: $<HTMLCanvasElement>('pad'), preview: $<HTMLCanvasElement>('preview'), clear: $<HTMLButtonElement>('clear'),
  prediction: $('prediction'), probabilities: $('probabilities'),
  save: $<HTMLButtonElement>('save'), load: $<HTMLInputElement>('load'), message: $('message'),
};

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

const curves = {
  loss: { label: 'training loss', color: '#d9480f', points: [] } as Series,
  accuracy: { label: 'training', color: '#1971c2', points: [] } as Series,
  testAccuracy: { label: 'test', color: '#2f9e44', points: [], dots: true } as Series,
};

/** The page's state for people and for tests/e2e: `data-state` is loading, idle or training. */
function setState(state: 'loading' | 'idle' | 'training', text: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = text;
  ui.train.disabled = state !== 'idle';
  ui.stop.disabled = state !== 'training';
  ui.save.disabled = state === 'loading';
  ui.load.disabled = state === 'loading';
}

function showMessage(text: string, kind: 'info' | 'error'): void {
  ui.message.textContent = text;
  ui.message.className = kind;
}

function redrawPlots(): void {
  const maxLoss = Math.max(0.5, ...curves.loss.points.map(([, v]) => v));
  drawPlot(ui.lossPlot, 'Loss', [curves.loss], 0, Math.min(maxLoss, 3));
  drawPlot(ui.accuracyPlot, 'Accuracy', [curves.accuracy, curves.testAccuracy], 0, 1);
}

function showPrediction(best: number, probabilities: number[]): void {
  ui.prediction.textContent = String(best);
  ui.prediction.dataset.digit = String(best);
  ui.probabilities.replaceChildren(...probabilities.map((p, digit) => {
    const row = document.createElement('div');
    row.className = digit === best ? 'row best' : 'row';
    row.innerHTML = `<span>${digit}</span><span class="bar"><span style="width:${(100 * p).toFixed(1)}%"></span></span><span>${(100 * p).toFixed(1)}%</span>`;
    return row;
  }));
}

/** Sends the drawing to the worker (at most one request in flight; the latest drawing wins). */
let predicting = false;
let pending = false;
let ready = false;
function requestPrediction(): void {
  if (!ready) return;
  if (predicting) return void (pending = true);
  predicting = true;
  const image = padImage(ui.pad);
  send({ type: 'predict', image }, [image.data.buffer]);
}

/** Shows the worker's answer, or clears it when nothing is drawn. */
function showResult(result: Extract<FromWorker, { type: 'prediction' }>['result']): void {
  drawPreview(result?.preview);
  if (result) return showPrediction(result.digit, result.probabilities);
  ui.prediction.textContent = '–';
  delete ui.prediction.dataset.digit;
  ui.probabilities.replaceChildren();
}

/** Shows the 28×28 image the model sees. */
function drawPreview(pixels: Float32Array | undefined): void {
  const ctx = ui.preview.getContext('2d')!;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 28 * 28; i++) {
    const v = Math.round(255 * (pixels?.[i] ?? 0));
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

worker.onmessage = ({ data }: MessageEvent<FromWorker>) => {
  switch (data.type) {
    case 'ready':
      ready = true;
      ui.threads.textContent = String(data.threads);
      ui.threads.title = data.isolated ? 'simdnn worker threads sharing the wasm memory'
        : 'one thread: the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';
      setState('idle', `ready: ${data.trainSize.toLocaleString('en-US')} training and ${data.testSize.toLocaleString('en-US')} test images, LeNet with ${data.parameters.toLocaleString('en-US')} parameters`);
      return requestPrediction();
    case 'progress':
      ui.step.textContent = String(data.step);
      ui.speed.textContent = Math.round(data.samplesPerSecond).toLocaleString('en-US');
      curves.loss.points.push([data.step, data.loss]);
      curves.accuracy.points.push([data.step, data.accuracy]);
      redrawPlots();
      return requestPrediction();
    case 'evaluated':
      ui.testAccuracy.textContent = `${(100 * data.testAccuracy).toFixed(2)}%`;
      curves.testAccuracy.points.push([data.step, data.testAccuracy]);
      return redrawPlots();
    case 'idle':
      return setState('idle', `trained ${data.step} steps`);
    case 'prediction':
      predicting = false;
      showResult(data.result);
      if (pending) {
        pending = false;
        requestPrediction();
      }
      return;
    case 'saved':
      download(data.bytes, 'simdnn-lenet.safetensors');
      return showMessage(`weights saved (${data.bytes.length.toLocaleString('en-US')} bytes, safetensors)`, 'info');
    case 'loaded':
      showMessage(`weights loaded from '${data.name}'`, 'info');
      return requestPrediction();
    case 'error':
      if (data.request === 'predict') predicting = false;
      if (data.request === 'init') setState('loading', 'could not start');
      return showMessage(data.message, 'error');
  }
};
worker.onerror = (event) => showMessage(`the worker failed: ${event.message}`, 'error');

ui.train.addEventListener('click', () => {
  setState('training', 'training…');
  send({ type: 'train', steps: Number(ui.steps.value), batchSize: Number(ui.batch.value) });
});
ui.stop.addEventListener('click', () => send({ type: 'stop' }));
ui.save.addEventListener('click', () => send({ type: 'save' }));
ui.load.addEventListener('change', async () => {
  const file = ui.load.files?.[0];
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  ui.load.value = '';
  send({ type: 'load', name: file.name, bytes }, [bytes.buffer]);
});
const pad = drawingPad(ui.pad, requestPrediction);
ui.clear.addEventListener('click', () => pad.clear());

setState('loading', 'loading MNIST…');
redrawPlots();
send({ type: 'init', dataUrl: new URL('mnist/', document.baseURI).href });
